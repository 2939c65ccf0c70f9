// The one envelope every event travels in (DESIGN.md "Events"). `NewEvent` is what a writer
// proposes; the store adds where and when it was recorded and the hash chain, giving a
// `RecordedEvent`. The payload (`data`) is validated against the event registry, not here.
import { z } from 'zod';
import { AgencySchema } from './agencies.ts';
import { UlidSchema } from './ids.ts';

export const EVENT_TYPE_PATTERN = /^(intake|identification|rescue|protection|reintegration|audit|liaison)\.[A-Z][A-Za-z0-9]*$/;

export const EventTypeSchema = z.string().regex(EVENT_TYPE_PATTERN, 'must be "<agency>.<EventName>"');

/** W3C trace context, version 00: carried through HTTP and Kafka headers into the log. */
export const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

export const TraceparentSchema = z.string().regex(TRACEPARENT_PATTERN, 'must be a W3C traceparent');

export const IsoTimeSchema = z.iso.datetime({ offset: false, precision: 3 });

export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

export const StreamNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits and . _ : -');

export const EventDataSchema = z.record(z.string(), z.unknown());

export const NewEventSchema = z.strictObject({
  id: UlidSchema.describe('unique everywhere; also the idempotency key'),
  type: EventTypeSchema.describe('`<agency>.<EventName>`'),
  schemaVersion: z.int().min(1).describe('payload version; older versions are upcast on read, never rewritten'),
  occurredAt: IsoTimeSchema.describe('when it happened (UTC, milliseconds)'),
  agency: AgencySchema.describe('the owning agency; an agency writes only its own events'),
  actor: z.string().min(1).max(200).describe('the authenticated subject that wrote it'),
  caseId: UlidSchema.nullable().describe("ties a person's whole referral chain together; null for events outside a case"),
  causationId: UlidSchema.nullable().describe('the event that caused this one'),
  traceparent: TraceparentSchema.nullable().describe('W3C trace context'),
  data: EventDataSchema.describe('the payload; personal data only as sealed field envelopes'),
});
export type NewEvent = z.infer<typeof NewEventSchema>;

/** The fields the hash covers: everything recorded except the hash itself and the store-local position. */
export const HashedEventSchema = NewEventSchema.extend({
  stream: StreamNameSchema,
  revision: z.int().min(0),
  recordedAt: IsoTimeSchema,
  prevHash: HashSchema,
});
export type HashedEvent = z.infer<typeof HashedEventSchema>;

export const RecordedEventSchema = HashedEventSchema.extend({
  position: z.int().min(0),
  hash: HashSchema,
});
export type RecordedEvent = z.infer<typeof RecordedEventSchema>;

// Cross-border liaison (liên lạc biên giới): the foreign desks that receive outgoing handovers
// (trao trả) are registered with their public keys; for each stage of a handover the liaison
// service issues a signed packet to the desk of the destination country and gate; the desk's
// signed acknowledgement, a missed acknowledgement deadline, and a desk's countersignature of
// the audit log's tree head are facts of the log like any other.
//
// The log records what was sent (the packet's digest, whose personal fields were shared), not
// the packet itself: the packet carries personal data encrypted to the desk and lives in the
// liaison service's packet table, from which the desk's feed is served.
import { z } from 'zod';
import { IsoTimeSchema } from '../envelope.ts';
import { UlidSchema } from '../ids.ts';
import { BorderGateSchema } from '../reference/border-gates.ts';
import { NeighbourCountrySchema } from '../reference/countries.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { distinctItems } from './cross-field-rules.ts';
import { PERSON_FIELDS } from './person.ts';
import { InstitutionTextSchema } from './vocabulary.ts';

export const DeskIdSchema = z
  .string()
  .regex(/^[a-z]{2}-[a-z0-9][a-z0-9-]{1,62}$/, 'must be "<country>-<name>" in lowercase letters, digits and hyphens, e.g. kh-bavet')
  .describe('the desk: its country code, a hyphen and a short name');
export type DeskId = z.infer<typeof DeskIdSchema>;

/** The languages a packet's summary is written in. */
export const DESK_LANGUAGES = ['vi', 'en', 'km', 'lo', 'zh'] as const;
export const DeskLanguageSchema = z.enum(DESK_LANGUAGES);
export type DeskLanguage = z.infer<typeof DeskLanguageSchema>;

export const PersonFieldSchema = z.enum(PERSON_FIELDS);
export type PersonField = z.infer<typeof PersonFieldSchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding').max(200);

/**
 * A desk's public key. Signing keys (`use: sig`) verify its acknowledgements and cosignatures;
 * the encryption key (`use: enc`) receives the personal data of packets (ECDH-ES). Only public
 * members are accepted: a JWK with a private member (`d`) is refused.
 */
export const DeskPublicJwkSchema = z.discriminatedUnion('kty', [
  z.strictObject({ kty: z.literal('OKP'), crv: z.enum(['Ed25519', 'X25519']), x: base64url, kid: z.string().min(1).max(100), use: z.enum(['sig', 'enc']), alg: z.string().max(40).optional() }),
  z.strictObject({ kty: z.literal('EC'), crv: z.enum(['P-256', 'P-384']), x: base64url, y: base64url, kid: z.string().min(1).max(100), use: z.enum(['sig', 'enc']), alg: z.string().max(40).optional() }),
]);
export type DeskPublicJwk = z.infer<typeof DeskPublicJwkSchema>;

const keyUsesFit = (value: { kty: string; crv: string; use: string }) =>
  value.use === 'sig' ? value.crv !== 'X25519' : value.crv !== 'Ed25519';

export const DeskKeySetSchema = z
  .strictObject({
    keys: z
      .array(DeskPublicJwkSchema.refine(keyUsesFit, 'Ed25519 keys sign, X25519 keys encrypt; EC keys may do either'))
      .min(2)
      .max(10),
  })
  .superRefine((value, ctx) => {
    distinctItems('keys', (key) => (key as { kid: string }).kid)(value as Record<string, unknown>, ctx);
    for (const use of ['sig', 'enc'] as const) {
      if (!value.keys.some((key) => key.use === use)) ctx.addIssue({ code: 'custom', path: ['keys'], message: `needs at least one key with use "${use}"` });
    }
  })
  .describe("the desk's public keys as a JWKS: at least one signing and one encryption key, each kid once");
export type DeskKeySet = z.infer<typeof DeskKeySetSchema>;

export const DeskContactSchema = z.strictObject({
  office: InstitutionTextSchema.describe('the office, not a person'),
  email: z.email().max(200).optional(),
  phone: z.string().regex(/^\+?[0-9 ()-]{5,30}$/).optional(),
});

export const deskProfileFields = {
  country: NeighbourCountrySchema.describe('the country the desk is in'),
  name: InstitutionTextSchema.describe("the desk's name, e.g. the border liaison office at Bavet"),
  borderGates: z.array(BorderGateSchema).max(20).describe('the Vietnamese gates it receives persons at; empty = every gate with its country'),
  language: DeskLanguageSchema.describe('the language of packet summaries'),
  fieldProfile: z.array(PersonFieldSchema).max(PERSON_FIELDS.length).describe('the personal fields this desk may receive at all (within consent), each once'),
  contact: DeskContactSchema,
};

export const DeskRegisteredSchema = z
  .strictObject({ deskId: DeskIdSchema, ...deskProfileFields, keys: DeskKeySetSchema })
  .superRefine(distinctItems('borderGates'))
  .superRefine(distinctItems('fieldProfile'));
export type DeskRegistered = z.infer<typeof DeskRegisteredSchema>;

export const DeskProfileChangedSchema = z
  .strictObject({ deskId: DeskIdSchema, ...deskProfileFields })
  .superRefine(distinctItems('borderGates'))
  .superRefine(distinctItems('fieldProfile'));
export type DeskProfileChanged = z.infer<typeof DeskProfileChangedSchema>;

export const DeskKeysRotatedSchema = z.strictObject({
  deskId: DeskIdSchema,
  keys: DeskKeySetSchema.describe('the whole new key set; acknowledgements signed with a key no longer in it are refused'),
  retiredKids: z.array(z.string().min(1).max(100)).max(10).describe('the kids dropped by this rotation'),
});
export type DeskKeysRotated = z.infer<typeof DeskKeysRotatedSchema>;

export const HANDOVER_STAGES = ['planned', 'scheduled', 'completed'] as const;
export const HandoverStageSchema = z.enum(HANDOVER_STAGES);
export type HandoverStage = z.infer<typeof HandoverStageSchema>;

export const PACKET_WITHHOLDING_REASONS = ['no-consent', 'consent-withdrawn', 'erased', 'outside-field-profile', 'no-personal-data'] as const;

export const HandoverPacketIssuedSchema = z
  .strictObject({
    packetId: UlidSchema,
    deskId: DeskIdSchema,
    handoverId: UlidSchema,
    stage: HandoverStageSchema,
    sourceEventId: UlidSchema.describe("rescue's handover event the packet was built from"),
    packetSha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the packet as sent (its compact JWS), hex'),
    signingKid: z.string().min(1).max(100).describe("the backbone key that signed it (in the liaison JWKS)"),
    encryptionKid: z.string().min(1).max(100).optional().describe("the desk key its personal data was encrypted to, when it holds any"),
    personCount: z.int().min(1).max(500),
    shared: z
      .array(z.strictObject({ personId: UlidSchema, fields: z.array(PersonFieldSchema).max(PERSON_FIELDS.length) }))
      .max(500)
      .describe('whose personal fields went into the packet, which ones (never the values)'),
    withheld: z
      .array(z.strictObject({ personId: UlidSchema, reason: z.enum(PACKET_WITHHOLDING_REASONS) }))
      .max(500)
      .describe('persons whose personal data was left out, and why'),
    acknowledgeBy: IsoTimeSchema.describe('when the desk must have acknowledged receipt'),
  })
  .superRefine(distinctItems('shared', (item) => (item as { personId: string }).personId));
export type HandoverPacketIssued = z.infer<typeof HandoverPacketIssuedSchema>;

export const ACKNOWLEDGEMENT_KINDS = ['received', 'person-received', 'discrepancy'] as const;
export const AcknowledgementKindSchema = z.enum(ACKNOWLEDGEMENT_KINDS);
export type AcknowledgementKind = z.infer<typeof AcknowledgementKindSchema>;

export const HandoverAcknowledgedSchema = z
  .strictObject({
    packetId: UlidSchema,
    deskId: DeskIdSchema,
    handoverId: UlidSchema,
    kind: AcknowledgementKindSchema,
    personId: UlidSchema.optional().describe('for person-received: who arrived at the gate'),
    reason: z.string().trim().min(3).max(1000).optional().describe('for discrepancy: what differs, in the desk’s words'),
    acknowledgedAt: IsoTimeSchema.describe('when the desk says it signed'),
    kid: z.string().min(1).max(100).describe('the desk key that signed it'),
    jws: z.string().min(20).max(8000).describe("the desk's acknowledgement as it signed it (compact JWS): the other half of the receipt"),
  })
  .superRefine((value, ctx) => {
    if ((value.kind === 'person-received') !== (value.personId !== undefined)) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'is given exactly when kind is person-received' });
    if (value.kind === 'discrepancy' && value.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required for a discrepancy' });
  });
export type HandoverAcknowledged = z.infer<typeof HandoverAcknowledgedSchema>;

export const HandoverAcknowledgementOverdueSchema = z.strictObject({
  packetId: UlidSchema,
  deskId: DeskIdSchema,
  handoverId: UlidSchema,
  acknowledgeBy: IsoTimeSchema,
});
export type HandoverAcknowledgementOverdue = z.infer<typeof HandoverAcknowledgementOverdueSchema>;

export const TreeHeadCosignedSchema = z.strictObject({
  deskId: DeskIdSchema,
  treeSize: z.int().min(1),
  rootHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256').describe('the root the audit log signed at that size'),
  kid: z.string().min(1).max(100).describe('the desk key that cosigned'),
  jws: z.string().min(20).max(8000).describe("the desk's cosignature (compact JWS over the signed tree head)"),
});
export type TreeHeadCosigned = z.infer<typeof TreeHeadCosignedSchema>;

export const liaisonEvents: EventDefinition[] = [
  defineEvent({ agency: 'liaison', name: 'DeskRegistered', schema: DeskRegisteredSchema, description: 'A foreign liaison desk was registered: its country, the gates it serves, its language, which personal fields it may receive, its contact office and its public keys.' }),
  defineEvent({ agency: 'liaison', name: 'DeskProfileChanged', schema: DeskProfileChangedSchema, description: "A desk's gates, language, field profile or contact changed." }),
  defineEvent({ agency: 'liaison', name: 'DeskKeysRotated', schema: DeskKeysRotatedSchema, description: "A desk's public keys were replaced by a new set (rotation); retired keys no longer verify its acknowledgements." }),
  defineEvent({ agency: 'liaison', name: 'HandoverPacketIssued', schema: HandoverPacketIssuedSchema, description: 'A signed handover packet for one stage of an outgoing handover was issued to a desk: its digest, whose personal fields it shares (encrypted to the desk) and whose it withholds, and the acknowledgement deadline.' }),
  defineEvent({ agency: 'liaison', name: 'HandoverAcknowledged', schema: HandoverAcknowledgedSchema, description: "The desk acknowledged a packet with a signature of its registered key: received, a person received at the gate, or a discrepancy with its reason." }),
  defineEvent({ agency: 'liaison', name: 'HandoverAcknowledgementOverdue', schema: HandoverAcknowledgementOverdueSchema, description: 'A packet was not acknowledged by its deadline: it is shown to the standing office.' }),
  defineEvent({ agency: 'liaison', name: 'TreeHeadCosigned', schema: TreeHeadCosignedSchema, description: "A desk countersigned a signed tree head of the audit log: history up to that size cannot be rewritten without the other country noticing." }),
];

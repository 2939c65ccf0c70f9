// The handover packet a desk receives: the payload of the backbone's JWS, in RFC 8785 form.
// Everything in clear is what the destination needs to prepare the handover (date, gate,
// numbers, needs, each person's countable profile); who the persons are travels only inside
// each person's JWE, and only within consent and the desk's field profile.
import { z } from 'zod';
import {
  AgeGroupSchema,
  BorderGateSchema,
  DeskIdSchema,
  DeskLanguageSchema,
  HandoverNeedSchema,
  HandoverStageSchema,
  IsoDateSchema,
  IsoTimeSchema,
  NationalitySchema,
  NeighbourCountrySchema,
  PACKET_WITHHOLDING_REASONS,
  SexSchema,
  UlidSchema,
} from '@nrm/contracts';

export const PACKET_VERSION = 1;

export const PacketPersonSchema = z.strictObject({
  personId: UlidSchema.describe('the same id in every packet and acknowledgement about this person'),
  sex: SexSchema,
  ageGroup: AgeGroupSchema,
  child: z.boolean(),
  nationality: NationalitySchema,
  personalData: z.string().optional().describe('compact JWE (ECDH-ES, A256GCM) to the desk’s encryption key: {packetId, personId, fields}'),
  withheld: z.enum(PACKET_WITHHOLDING_REASONS).optional().describe('why no personal data is included'),
});
export type PacketPerson = z.infer<typeof PacketPersonSchema>;

export const HandoverPacketSchema = z.strictObject({
  v: z.literal(PACKET_VERSION),
  packetId: UlidSchema,
  deskId: DeskIdSchema,
  country: NeighbourCountrySchema,
  caseId: UlidSchema.nullable(),
  handoverId: UlidSchema,
  stage: HandoverStageSchema,
  issuedAt: IsoTimeSchema,
  acknowledgeBy: IsoTimeSchema,
  handover: z.strictObject({
    date: IsoDateSchema,
    borderGate: BorderGateSchema.optional(),
    personCount: z.int().min(1),
    childCount: z.int().min(0),
    needs: z.array(HandoverNeedSchema),
    counterpartReference: z.string().optional(),
    receivedBy: z.string().optional(),
  }),
  summary: z.strictObject({ lang: DeskLanguageSchema, text: z.string() }),
  persons: z.array(PacketPersonSchema).min(1),
  source: z.strictObject({ eventId: UlidSchema, type: z.string() }).describe("the rescue event the packet was built from: its inclusion proof is the audit log's"),
});
export type HandoverPacket = z.infer<typeof HandoverPacketSchema>;

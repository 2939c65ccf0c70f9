// POST /persons/{personId}/erasure: an agency administrator erases a person (crypto-shredding).
// The vault destroys the person's data keys first — from then on no route, projection, export or
// packet can open their sealed fields — and the erasure is recorded as <agency>.PersonErased.
// Erasing again records nothing new and answers with the first record.
//
// Every agency also carries out the erasures the others record: in a distributed deployment each
// service has its own key store, and a person erased anywhere must be erased everywhere. A
// service whose key store held keys of the person records its own PersonErased (caused by the
// first), so the log shows every key store the keys were destroyed in.
import { z } from 'zod';
import { ERASURE_REASON_MAX_LENGTH, REFERRAL_AGENCIES, UlidSchema, deriveId, erasureStream } from '@nrm/contracts';
import type { EventRegistry, PersonErased, RecordedEvent, ReferralAgency } from '@nrm/contracts';
import type { ConsumeOptions } from '@nrm/bus';
import type { EventStore } from '@nrm/eventstore';
import { envelopeEvents, principalOf, requireAgency, requireRole } from '@nrm/service-kit';
import type { CommandMetadata, NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';

export const ERASER_ROLE = 'agency-admin';

type Erasing = { store: EventStore; vault: Vault; registry: EventRegistry };

/** Destroys the keys, then records the erasure once per agency and person (the id derives from both). */
async function eraseAndRecord(agency: ReferralAgency, personId: string, reason: string, metadata: Omit<CommandMetadata, 'commandId' | 'agency' | 'caseId' | 'now'>, dependencies: Erasing, onlyIfKeysDestroyed: boolean) {
  const erasure = await dependencies.vault.erase(personId);
  if (onlyIfKeysDestroyed && erasure.keysDestroyed === 0) return undefined;
  const data: PersonErased = { personId, reason, keysDestroyed: erasure.keysDestroyed, erasedAt: erasure.erasedAt };
  const events = envelopeEvents([{ type: `${agency}.PersonErased`, data }], { ...metadata, commandId: deriveId(personId, `${agency}:erasure`), agency, caseId: null, now: new Date().toISOString() }, dependencies.registry);
  return dependencies.store.append(erasureStream(agency, personId), events);
}

export function registerErasureRoute(app: NrmApp, agency: ReferralAgency, dependencies: Erasing): void {
  app.post(
    '/persons/:personId/erasure',
    {
      schema: {
        summary: `Erase a person (crypto-shredding): ${agency}'s administrator destroys the person's data keys; recorded as ${agency}.PersonErased`,
        tags: [agency],
        params: z.strictObject({ personId: UlidSchema }),
        body: z.strictObject({ reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(ERASURE_REASON_MAX_LENGTH) }),
        response: {
          200: z.object({ personId: z.string(), eventId: z.string(), erasedAt: z.string(), keysDestroyed: z.int(), duplicate: z.boolean() }),
          201: z.object({ personId: z.string(), eventId: z.string(), erasedAt: z.string(), keysDestroyed: z.int(), duplicate: z.boolean() }),
        },
      },
      preHandler: [requireAgency(agency), requireRole(ERASER_ROLE)],
    },
    async (request, reply) => {
      const { personId } = request.params;
      const result = (await eraseAndRecord(agency, personId, request.body.reason, { actor: principalOf(request).subject, causationId: null, traceparent: null }, dependencies, false))!;
      const recorded = result.events[0]!;
      const data = recorded.data as PersonErased;
      reply.code(result.duplicate ? 200 : 201);
      return { personId, eventId: recorded.id, erasedAt: data.erasedAt, keysDestroyed: data.keysDestroyed, duplicate: result.duplicate };
    },
  );
}

/** The bus consumer that carries out the other agencies' erasures in this agency's key store. */
export function erasureReactions(agency: ReferralAgency, dependencies: Erasing): Pick<ConsumeOptions, 'consumer' | 'filter' | 'handler'> {
  return {
    consumer: `${agency}.erasures`,
    filter: { types: REFERRAL_AGENCIES.filter((other) => other !== agency).map((other) => `${other}.PersonErased`) },
    async handler(event: RecordedEvent) {
      const { personId, reason } = event.data as PersonErased;
      await eraseAndRecord(agency, personId, reason, { actor: `${agency}-erasure`, causationId: event.id, traceparent: event.traceparent }, dependencies, true);
    },
  };
}

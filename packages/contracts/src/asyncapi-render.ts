// Renders the AsyncAPI 3 document of every Kafka topic and message from the contracts: each
// agency's events topic carries that agency's event types (the recorded envelope with the type's
// payload schema), its ingress topic facts from agency systems, its rejections topic the refusals,
// and the handover topic signed packets. Pure, so the generator and the staleness test agree.
import { stringify } from 'yaml';
import { z } from 'zod';
import { AGENCY_TITLES, SERVICES } from './agencies.ts';
import { eventRegistry } from './catalog.ts';
import { RecordedEventSchema } from './envelope.ts';
import { topics } from './topics.ts';

const ENVELOPE_HEADERS = {
  type: 'object',
  properties: {
    'content-type': { type: 'string', const: 'application/json' },
    'nrm-event-id': { type: 'string', description: 'the event id (ULID)' },
    'nrm-event-type': { type: 'string' },
    'nrm-schema-version': { type: 'string' },
    'nrm-agency': { type: 'string' },
    'nrm-stream': { type: 'string' },
    'nrm-case-id': { type: 'string' },
    'nrm-causation-id': { type: 'string' },
    traceparent: { type: 'string', description: 'W3C trace context' },
  },
};

/** The recorded envelope, once; each message narrows its `data` to the event type's payload. */
function envelopeSchema(): object {
  const { $schema: _dialect, ...envelope } = z.toJSONSchema(RecordedEventSchema) as Record<string, unknown>;
  return envelope;
}

function envelopeWith(dataSchema: object): object {
  const { $schema: _dialect, ...data } = dataSchema as Record<string, unknown>;
  return { allOf: [{ $ref: '#/components/schemas/RecordedEvent' }, { type: 'object', properties: { data } }] };
}

const FACT = {
  type: 'object',
  required: ['id', 'type', 'data'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'fact id (ULID): the same fact sent again is a duplicate' },
    type: { type: 'string', description: '`<agency>.<EventName>` of the fact' },
    occurredAt: { type: 'string', format: 'date-time' },
    caseId: { type: 'string', description: 'the case; required unless the fact opens one' },
    data: { type: 'object', description: "the command body of the agency's HTTP API for this fact" },
  },
};

const REJECTION = {
  type: 'object',
  required: ['factId', 'rule', 'detail', 'source', 'rejectedAt'],
  properties: {
    factId: { type: ['string', 'null'], description: 'the refused fact’s id, or null when the bytes were not a fact' },
    rule: { type: 'string', description: 'stable name of the rule that refused it (invalid-payload, foreign-event-type, …)' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
    source: {
      type: 'object',
      description: 'where the refused message was on the ingress topic (its value is never repeated: it may hold personal data)',
      required: ['topic', 'partition', 'offset', 'key'],
      properties: { topic: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'string' }, key: { type: ['string', 'null'] } },
    },
    rejectedAt: { type: 'string', format: 'date-time' },
  },
};

export function renderAsyncApi(): string {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const kafkaKey = (description: string) => ({ kafka: { key: { type: 'string', description }, bindingVersion: '0.5.0' } });

  for (const agency of SERVICES) {
    const definitions = eventRegistry.all().filter((definition) => definition.agency === agency);
    if (definitions.length > 0) {
      for (const definition of definitions) {
        messages[definition.type] = {
          name: definition.type,
          title: `${definition.type} v${definition.version}`,
          summary: definition.description,
          contentType: 'application/json',
          headers: ENVELOPE_HEADERS,
          payload: envelopeWith(z.toJSONSchema(definition.schema) as object),
          bindings: kafkaKey('the caseId (the stream name for events outside a case)'),
        };
      }
      channels[`${agency}Events`] = {
        address: topics.events(agency),
        title: `${AGENCY_TITLES[agency].en}: events`,
        description: `Every event ${agency} records, published by its outbox relay in log order; keyed by caseId.`,
        messages: Object.fromEntries(definitions.map((definition) => [definition.name, { $ref: `#/components/messages/${definition.type}` }])),
      };
      operations[`${agency}PublishesEvents`] = { action: 'send', channel: { $ref: `#/channels/${agency}Events` }, summary: `${agency}'s outbox relay publishes its events` };
    }
    channels[`${agency}Ingress`] = {
      address: topics.ingress(agency),
      description: `Facts ${agency}'s own systems send; validated exactly like POST /v1/${agency}/events.`,
      messages: { Fact: { $ref: '#/components/messages/Fact' } },
    };
    channels[`${agency}Rejections`] = {
      address: topics.rejections(agency),
      description: `Facts from ${agency}'s ingress topic that were refused, with the rule.`,
      messages: { Rejection: { $ref: '#/components/messages/Rejection' } },
    };
    operations[`${agency}ReceivesFacts`] = { action: 'receive', channel: { $ref: `#/channels/${agency}Ingress` } };
    operations[`${agency}PublishesRejections`] = { action: 'send', channel: { $ref: `#/channels/${agency}Rejections` } };
  }
  messages.Fact = {
    name: 'Fact',
    contentType: 'application/json',
    payload: FACT,
    headers: {
      type: 'object',
      required: ['authorization'],
      properties: {
        authorization: { type: 'string', description: "`Bearer <access token>` of the agency with a writer role (clerk, supervisor, agency-admin), valid when the broker writes the message; its subject is recorded as the events' actor" },
        traceparent: { type: 'string', description: 'W3C trace context, recorded in the events; dropped when malformed' },
      },
    },
    bindings: kafkaKey('the caseId, or any key that keeps one case on one partition'),
  };
  messages.Rejection = { name: 'Rejection', contentType: 'application/json', payload: REJECTION };
  messages.HandoverPacket = {
    name: 'HandoverPacket',
    contentType: 'application/json',
    summary: 'A handover packet for a foreign liaison desk, as its feed serves it: the packet itself is a compact JWS signed by the backbone; personal data inside is a JWE to the desk’s key. At least once: dedupe by packetId.',
    payload: {
      type: 'object',
      required: ['deskId', 'country', 'seq', 'packetId', 'handoverId', 'stage', 'issuedAt', 'acknowledgeBy', 'packet', 'logEventId', 'inclusionProof'],
      properties: {
        deskId: { type: 'string', description: 'the desk the packet is for' },
        country: { type: 'string', description: 'the destination country (also the key)' },
        seq: { type: 'integer', description: 'its place in the desk’s feed' },
        packetId: { type: 'string' },
        handoverId: { type: 'string' },
        stage: { type: 'string', enum: ['planned', 'scheduled', 'completed'] },
        issuedAt: { type: 'string', format: 'date-time' },
        acknowledgeBy: { type: 'string', format: 'date-time' },
        packet: { type: 'string', description: 'compact JWS (typ nrm-handover-packet+jws), keys at /v1/liaison/.well-known/jwks.json' },
        logEventId: { type: 'string', description: 'the HandoverPacketIssued event recording the packet’s digest' },
        inclusionProof: { type: 'string', description: 'where the audit log proves that event' },
      },
    },
    headers: { type: 'object', properties: { 'nrm-desk': { type: 'string' }, 'nrm-packet-id': { type: 'string' }, 'content-type': { type: 'string' } } },
    bindings: kafkaKey('the destination country (ISO 3166-1 alpha-2)'),
  };
  channels.handover = { address: topics.handover, description: 'Handover packets for foreign liaison desks, keyed by destination country.', messages: { HandoverPacket: { $ref: '#/components/messages/HandoverPacket' } } };
  operations.liaisonPublishesHandovers = { action: 'send', channel: { $ref: '#/channels/handover' } };

  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'NRM Backbone topics',
      version: '1.0.0',
      description: 'Generated from packages/contracts by `npm run catalog`; do not edit by hand (CI fails when it is stale).',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'the broker infra/kafka/kafka.sh starts' } },
    channels,
    operations,
    components: { schemas: { RecordedEvent: envelopeSchema() }, messages },
  };
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

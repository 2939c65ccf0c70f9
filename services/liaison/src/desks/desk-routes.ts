// The desk registry over HTTP (mounted under /v1/liaison): the standing office's administrator
// registers desks, changes their profile and rotates their keys; auditors read the registry; a
// desk reads its own entry; anyone reads a desk's public keys.
//
// Rotation without downtime takes two rotations. First the administrator rotates to a set that
// holds the old keys and the new ones: acknowledgements signed with either verify. The desk
// switches to its new keys. Then the administrator rotates again, without the old keys: they are
// retired (`retiredKids`) and no longer verify. A kid, once given, never names another key.
import { z } from 'zod';
import { DeskKeySetSchema, DeskRegisteredSchema } from '@nrm/contracts';
import type { EventRegistry } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { idempotencyKeyOf } from '@nrm/agency-kit';
import { NotFoundError, etagOf, handleCommand, ifMatchRevision, principalOf, requestCommandMetadata, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deskDecider } from './desk-decider.ts';
import type { DeskCommand, DeskState } from './desk-decider.ts';
import { DeskKeysBodySchema, DeskParamsSchema, DeskProfileBodySchema, DeskSchema } from './desk-schemas.ts';
import { deskStream } from './desk.ts';
import type { Desk, DeskDirectory } from './desk.ts';
import { refusePrivateKeys } from './private-key-members.ts';

export const DESK_ADMIN_ROLE = 'standing-office-admin';
export const DESK_READER_ROLES = [DESK_ADMIN_ROLE, 'auditor'] as const;
/** A desk's own token: role `desk`, its desk id as the subject. */
export const DESK_ROLE = 'desk';

export type DeskRouteDependencies = { store: EventStore; registry?: EventRegistry; directory: DeskDirectory };

const TAGS = ['liaison'];

/** Runs a desk command on the desk's stream: the caller's Idempotency-Key and If-Match are honoured. */
async function executeDeskCommand(dependencies: DeskRouteDependencies, request: FastifyRequest, deskId: string, command: Pick<DeskCommand, 'type' | 'data'>, expectedRevision?: number): Promise<Desk> {
  const key = idempotencyKeyOf(request);
  const metadata = requestCommandMetadata(request, { agency: 'liaison', caseId: null });
  if (key) metadata.commandId = key;
  const result = await handleCommand({
    store: dependencies.store,
    stream: deskStream(deskId),
    decider: deskDecider,
    command: { ...command, metadata } as DeskCommand,
    registry: dependencies.registry,
    replayable: key !== undefined,
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
  });
  return deskOf(result.state, result.nextRevision, deskId);
}

function deskOf(state: DeskState, revision: number | 'no_stream', deskId: string): Desk {
  if (state.status !== 'Registered' || revision === 'no_stream') throw new NotFoundError(`no desk ${deskId} is registered`);
  return { deskId: state.deskId, ...state.profile, keys: state.keys, revision };
}

function sendDesk(reply: FastifyReply, desk: Desk, status = 200): Desk {
  reply.header('etag', etagOf(desk.revision));
  reply.code(status);
  return desk;
}

/**
 * Administrators and auditors read every desk; a desk reads only itself. To a desk, another
 * desk's id is "not found", whether registered or not: the answer tells it nothing.
 */
function assertMayRead(request: FastifyRequest, deskId: string): void {
  const principal = principalOf(request);
  if (DESK_READER_ROLES.some((role) => principal.roles.includes(role))) return;
  if (principal.subject !== deskId) throw new NotFoundError(`no desk ${deskId} is registered`);
}

export function registerDeskRoutes(app: NrmApp, dependencies: DeskRouteDependencies): void {
  const { directory } = dependencies;
  const adminOnly = [requireRole(DESK_ADMIN_ROLE)];

  app.post(
    '/desks',
    {
      schema: { summary: 'Register a foreign liaison desk: its country, gates, language, field profile, contact office and public keys (JWKS)', tags: TAGS, body: DeskRegisteredSchema, response: { 201: DeskSchema } },
      preValidation: [refusePrivateKeys],
      preHandler: adminOnly,
    },
    async (request, reply) => {
      const desk = await executeDeskCommand(dependencies, request, request.body.deskId, { type: 'RegisterDesk', data: request.body });
      reply.header('location', `${request.url.replace(/\/$/, '')}/${desk.deskId}`);
      return sendDesk(reply, desk, 201);
    },
  );

  app.get(
    '/desks',
    { schema: { summary: 'The registered desks', tags: TAGS, response: { 200: z.object({ desks: z.array(DeskSchema) }) } }, preHandler: [requireRole(...DESK_READER_ROLES)] },
    async () => ({ desks: await directory.list() }),
  );

  app.get(
    '/desks/:deskId',
    {
      schema: { summary: 'One desk: to administrators, auditors and the desk itself', tags: TAGS, params: DeskParamsSchema, response: { 200: DeskSchema } },
      preHandler: [requireRole(...DESK_READER_ROLES, DESK_ROLE)],
    },
    async (request, reply) => {
      assertMayRead(request, request.params.deskId);
      const desk = await directory.get(request.params.deskId);
      if (!desk) throw new NotFoundError(`no desk ${request.params.deskId} is registered`);
      return sendDesk(reply, desk);
    },
  );

  app.put(
    '/desks/:deskId/profile',
    {
      schema: { summary: "Change a desk's name, gates, language, field profile or contact (If-Match: its ETag, to not overwrite a change made since)", tags: TAGS, params: DeskParamsSchema, body: DeskProfileBodySchema, response: { 200: DeskSchema } },
      preHandler: adminOnly,
    },
    async (request, reply) => {
      const { deskId } = request.params;
      const desk = await executeDeskCommand(dependencies, request, deskId, { type: 'ChangeDeskProfile', data: { deskId, ...request.body } }, ifMatchRevision(request));
      return sendDesk(reply, desk);
    },
  );

  app.put(
    '/desks/:deskId/keys',
    {
      schema: {
        summary: "Replace a desk's public keys (rotation). Without downtime: first a set with the old and the new keys, then, once the desk signs with the new ones, a set without the old",
        tags: TAGS,
        params: DeskParamsSchema,
        body: DeskKeysBodySchema,
        response: { 200: DeskSchema },
      },
      preValidation: [refusePrivateKeys],
      preHandler: adminOnly,
    },
    async (request, reply) => {
      const { deskId } = request.params;
      const desk = await executeDeskCommand(dependencies, request, deskId, { type: 'RotateDeskKeys', data: { deskId, keys: request.body.keys } }, ifMatchRevision(request));
      return sendDesk(reply, desk);
    },
  );

  app.get(
    '/desks/:deskId/jwks.json',
    {
      config: { public: true },
      schema: { summary: "A desk's current public keys (JWKS): verify its acknowledgements and cosignatures offline", tags: TAGS, security: [], params: DeskParamsSchema, response: { 200: DeskKeySetSchema } },
    },
    async (request, reply) => {
      const desk = await directory.get(request.params.deskId);
      if (!desk) throw new NotFoundError(`no desk ${request.params.deskId} is registered`);
      // Short-lived: a rotation that drops a key should reach verifiers within a minute.
      reply.header('cache-control', 'public, max-age=60');
      return desk.keys;
    },
  );
}

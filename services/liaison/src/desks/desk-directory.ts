// The registered desks, folded from the desk streams of the liaison service's own log. There
// are a handful of desks, each with a few events, so each desk is read on demand; which desks
// exist is learned once and then only from the part of the log appended since (a handover is
// packed for every desk it goes to, and must not rescan a long log each time).
import { DeskIdSchema } from '@nrm/contracts';
import type { EventRegistry } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { loadState } from '@nrm/service-kit';
import { deskDecider } from './desk-decider.ts';
import type { DeskEvent } from './desk-decider.ts';
import { DESK_STREAM_PREFIX, deskStream } from './desk.ts';
import type { Desk, DeskDirectory } from './desk.ts';

export async function readDesk(store: EventStore, deskId: string, registry?: EventRegistry): Promise<Desk | undefined> {
  if (!DeskIdSchema.safeParse(deskId).success) return undefined;
  const { state, revision } = await loadState<DeskEvent, ReturnType<typeof deskDecider.initialState>>(store, deskStream(deskId), deskDecider, registry);
  if (state.status !== 'Registered' || revision === 'no_stream') return undefined;
  return { deskId: state.deskId, ...state.profile, keys: state.keys, revision };
}

/** The ids of every registered desk, read incrementally: each desk stream starts with its registration. */
function registeredDeskIds(store: EventStore): () => Promise<string[]> {
  const ids = new Set<string>();
  let scannedTo: number | undefined;
  let scanning: Promise<string[]> = Promise.resolve([]);
  const scan = async () => {
    const head = await store.headPosition();
    const filter = { streamPrefixes: [DESK_STREAM_PREFIX], types: ['liaison.DeskRegistered'] };
    for await (const event of store.readAll({ filter, ...(scannedTo === undefined ? {} : { after: scannedTo }), to: head })) ids.add(event.stream.slice(DESK_STREAM_PREFIX.length));
    scannedTo = head;
    return [...ids];
  };
  // One scan at a time, so two concurrent callers never read the same range twice.
  return () => (scanning = scanning.catch(() => []).then(scan));
}

export function createDeskDirectory(store: EventStore, registry?: EventRegistry): DeskDirectory {
  const deskIds = registeredDeskIds(store);
  const list = async () => {
    const desks = await Promise.all((await deskIds()).map((deskId) => readDesk(store, deskId, registry)));
    return desks.filter((desk): desk is Desk => desk !== undefined).sort((a, b) => a.deskId.localeCompare(b.deskId));
  };
  return {
    get: (deskId) => readDesk(store, deskId, registry),
    list,
    async forHandover(country, gate) {
      const desks = (await list()).filter((desk) => desk.country === country);
      if (gate === undefined) return desks;
      return desks.filter((desk) => desk.borderGates.length === 0 || (desk.borderGates as readonly string[]).includes(gate));
    },
  };
}

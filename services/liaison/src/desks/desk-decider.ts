// A desk's registration, profile and keys as a decider. A desk is registered once; its profile
// and its key set change later, each as a whole. A kid always names one key: a rotation may keep
// or bring back a key under its kid, never give a kid used before to another key, so a
// signature's kid in the log says for ever which key verified it.
import { borderGateOf } from '@nrm/contracts';
import type { BorderGate, DeskKeySet, DeskKeysRotated, DeskProfileChanged, DeskPublicJwk, DeskRegistered } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, Decider, DomainEvent } from '@nrm/service-kit';

export type RegisterDesk = Command<'RegisterDesk', DeskRegistered>;
export type ChangeDeskProfile = Command<'ChangeDeskProfile', DeskProfileChanged>;
export type RotateDeskKeys = Command<'RotateDeskKeys', { deskId: string; keys: DeskKeySet }>;
export type DeskCommand = RegisterDesk | ChangeDeskProfile | RotateDeskKeys;

export type DeskEvent =
  | DomainEvent<'liaison.DeskRegistered', DeskRegistered>
  | DomainEvent<'liaison.DeskProfileChanged', DeskProfileChanged>
  | DomainEvent<'liaison.DeskKeysRotated', DeskKeysRotated>;

export type DeskProfile = Omit<DeskProfileChanged, 'deskId'>;

export type DeskState =
  | { status: 'Unregistered' }
  | {
      status: 'Registered';
      deskId: string;
      profile: DeskProfile;
      keys: DeskKeySet;
      /** Every kid the desk ever registered, with the key it named (retired ones too). */
      keyOfKid: Record<string, string>;
    };

/** A profile change or rotation for a desk nobody registered: a 404 that still names its rule. */
export class DeskNotRegisteredError extends DomainRuleError {
  override readonly name = 'DeskNotRegisteredError';
  override readonly status = 404;
  override readonly slug = 'not-found';
  override readonly title = 'Not found';

  constructor(deskId: string) {
    super('desk-not-registered', `no desk ${deskId} is registered`);
  }
}

/** What a key is, apart from its name: kid and alg may be relabelled, the key material and use may not. */
function keyIdentity(key: DeskPublicJwk): string {
  return JSON.stringify([key.kty, key.crv, key.x, 'y' in key ? key.y : null, key.use]);
}

function keysByKid(keys: DeskKeySet): Record<string, string> {
  return Object.fromEntries(keys.keys.map((key) => [key.kid, keyIdentity(key)]));
}

function profileOf(data: DeskRegistered | DeskProfileChanged): DeskProfile {
  const { country, name, borderGates, language, fieldProfile, contact } = data;
  return { country, name, borderGates, language, fieldProfile, contact };
}

/** The desk id starts with its country (kh-bavet is in KH): a desk cannot claim another country's handovers. */
function assertProfileFits(deskId: string, profile: DeskProfile): void {
  const prefix = deskId.slice(0, 2).toUpperCase();
  if (prefix !== profile.country) {
    throw new DomainRuleError('desk-id-country-mismatch', `desk id ${deskId} names the country ${prefix}, but the desk is in ${profile.country}`);
  }
  const foreign = profile.borderGates.filter((gate: BorderGate) => borderGateOf(gate).country !== profile.country);
  if (foreign.length > 0) {
    throw new DomainRuleError('gate-not-on-border', `${foreign.map((gate) => `${gate} (on the border with ${borderGateOf(gate).country})`).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not on the border with ${profile.country}`);
  }
}

function registered(state: DeskState, deskId: string): Extract<DeskState, { status: 'Registered' }> {
  if (state.status !== 'Registered') throw new DeskNotRegisteredError(deskId);
  return state;
}

/** Profiles compare as sets where order carries no meaning (gates, fields). */
function sameProfile(a: DeskProfile, b: DeskProfile): boolean {
  const normal = (profile: DeskProfile) => JSON.stringify({ ...profile, borderGates: [...profile.borderGates].sort(), fieldProfile: [...profile.fieldProfile].sort(), contact: { office: profile.contact.office, email: profile.contact.email ?? null, phone: profile.contact.phone ?? null } });
  return normal(a) === normal(b);
}

function registerDesk(command: RegisterDesk, state: DeskState): DeskEvent[] {
  if (state.status === 'Registered') throw new IllegalStateError('desk-already-registered', `desk ${command.data.deskId} is already registered`);
  assertProfileFits(command.data.deskId, profileOf(command.data));
  return [{ type: 'liaison.DeskRegistered', data: command.data }];
}

function changeDeskProfile(command: ChangeDeskProfile, state: DeskState): DeskEvent[] {
  const desk = registered(state, command.data.deskId);
  const profile = profileOf(command.data);
  assertProfileFits(desk.deskId, profile);
  // The same profile again (a retried request) changes nothing and writes nothing.
  if (sameProfile(desk.profile, profile)) return [];
  return [{ type: 'liaison.DeskProfileChanged', data: command.data }];
}

function rotateDeskKeys(command: RotateDeskKeys, state: DeskState): DeskEvent[] {
  const desk = registered(state, command.data.deskId);
  const next = keysByKid(command.data.keys);
  const current = keysByKid(desk.keys);
  const reused = Object.entries(next).filter(([kid, key]) => desk.keyOfKid[kid] !== undefined && desk.keyOfKid[kid] !== key);
  if (reused.length > 0) {
    throw new DomainRuleError('kid-reused', `kid ${reused.map(([kid]) => kid).join(', ')} already named another key of desk ${desk.deskId}: give a new key a new kid`);
  }
  const unchanged = Object.keys(next).length === Object.keys(current).length && Object.entries(next).every(([kid, key]) => current[kid] === key);
  if (unchanged) throw new DomainRuleError('key-set-unchanged', `the new key set of desk ${desk.deskId} is the one it has`);
  const retiredKids = Object.keys(current).filter((kid) => next[kid] === undefined);
  return [{ type: 'liaison.DeskKeysRotated', data: { deskId: desk.deskId, keys: command.data.keys, retiredKids } }];
}

export const deskDecider: Decider<DeskCommand, DeskEvent, DeskState> = {
  initialState: () => ({ status: 'Unregistered' }),
  evolve(state, event) {
    switch (event.type) {
      case 'liaison.DeskRegistered':
        return { status: 'Registered', deskId: event.data.deskId, profile: profileOf(event.data), keys: event.data.keys, keyOfKid: keysByKid(event.data.keys) };
      case 'liaison.DeskProfileChanged':
        return state.status === 'Registered' ? { ...state, profile: profileOf(event.data) } : state;
      case 'liaison.DeskKeysRotated':
        return state.status === 'Registered' ? { ...state, keys: event.data.keys, keyOfKid: { ...state.keyOfKid, ...keysByKid(event.data.keys) } } : state;
      default: {
        const _never: never = event;
        return state;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterDesk':
        return registerDesk(command, state);
      case 'ChangeDeskProfile':
        return changeDeskProfile(command, state);
      case 'RotateDeskKeys':
        return rotateDeskKeys(command, state);
      default: {
        const _never: never = command;
        return [];
      }
    }
  },
};

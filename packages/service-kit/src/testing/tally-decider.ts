// A tiny decider for this package's own tests of the runtime and the specification helper: a
// tally that is opened with a limit, added to, and closed. Not exported; services have real ones.
import { defineEvent, EventRegistry } from '@nrm/contracts';
import { z } from 'zod';
import type { Command, Decider, DomainEvent } from '../decider.ts';
import { DomainRuleError, IllegalStateError } from '../errors.ts';

export type TallyCommand =
  | Command<'OpenTally', { limit: number }>
  | Command<'AddToTally', { amount: number }>
  | Command<'CloseTally', Record<string, never>>;

export type TallyEvent =
  | DomainEvent<'intake.TallyOpened', { limit: number }>
  | DomainEvent<'intake.TallyAdded', { amount: number }>
  | DomainEvent<'intake.TallyClosed', { total: number }>;

export type TallyState = { status: 'Empty' } | { status: 'Open'; limit: number; total: number } | { status: 'Closed'; total: number };

export const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: () => ({ status: 'Empty' }),
  evolve(state, event) {
    switch (event.type) {
      case 'intake.TallyOpened':
        return { status: 'Open', limit: event.data.limit, total: 0 };
      case 'intake.TallyAdded':
        return state.status === 'Open' ? { ...state, total: state.total + event.data.amount } : state;
      case 'intake.TallyClosed':
        return { status: 'Closed', total: event.data.total };
      default: {
        const _never: never = event;
        return state;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'OpenTally':
        if (state.status !== 'Empty') throw new IllegalStateError('tally-already-opened', 'the tally is already open');
        return [{ type: 'intake.TallyOpened', data: { limit: command.data.limit } }];
      case 'AddToTally':
        if (state.status !== 'Open') throw new IllegalStateError('tally-not-open', 'only an open tally can be added to');
        if (state.total + command.data.amount > state.limit) throw new DomainRuleError('tally-limit-exceeded', `the limit is ${state.limit}`);
        return [{ type: 'intake.TallyAdded', data: { amount: command.data.amount } }];
      case 'CloseTally':
        if (state.status !== 'Open') return [];
        return [{ type: 'intake.TallyClosed', data: { total: state.total } }];
      default: {
        const _never: never = command;
        return [];
      }
    }
  },
};

/** Version 2 of TallyAdded renamed `count` to `amount`: old events are upcast on read. */
export const tallyRegistry = new EventRegistry([
  defineEvent({ agency: 'intake', name: 'TallyOpened', schema: z.strictObject({ limit: z.int().min(1) }), description: 'test' }),
  defineEvent({
    agency: 'intake',
    name: 'TallyAdded',
    schema: z.strictObject({ amount: z.int().min(1) }),
    description: 'test',
    version: 2,
    upcasters: [{ from: 1, schema: z.strictObject({ count: z.int().min(1) }), upcast: (data) => ({ amount: data.count }) }],
  }),
  defineEvent({ agency: 'intake', name: 'TallyClosed', schema: z.strictObject({ total: z.int().min(0) }), description: 'test' }),
]);

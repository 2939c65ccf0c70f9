// The specification helper itself: it passes what is right and fails, readably, what is not.
import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../decider.ts';
import { DomainRuleError, IllegalStateError } from '../errors.ts';
import { DeciderSpecification } from './decider-specification.ts';
import { tallyDecider } from './tally-decider.ts';

const metadata: CommandMetadata = { commandId: '01K00000000000000000000000', now: '2025-09-01T08:00:00.000Z', actor: 'a', agency: 'intake', caseId: null, causationId: null, traceparent: null };
const spec = DeciderSpecification.for(tallyDecider);
const opened = { type: 'intake.TallyOpened', data: { limit: 5 } } as const;

describe('DeciderSpecification', () => {
  it('passes when the decided events are the expected ones', () => {
    spec.given([opened]).when({ type: 'AddToTally', data: { amount: 2 }, metadata }).then([{ type: 'intake.TallyAdded', data: { amount: 2 } }]);
  });

  it('fails when they differ', () => {
    expect(() => spec.given([opened]).when({ type: 'AddToTally', data: { amount: 2 }, metadata }).then([{ type: 'intake.TallyAdded', data: { amount: 3 } }])).toThrow();
  });

  it('fails a then() when decide refuses, saying why', () => {
    expect(() => spec.given([]).when({ type: 'AddToTally', data: { amount: 2 }, metadata }).then([])).toThrow(/IllegalStateError: only an open tally/);
  });

  it('passes thenThrows for the right error class and rule', () => {
    spec.given([]).when({ type: 'AddToTally', data: { amount: 1 }, metadata }).thenThrows(IllegalStateError, 'tally-not-open');
    spec.given([opened, { type: 'intake.TallyAdded', data: { amount: 4 } }]).when({ type: 'AddToTally', data: { amount: 2 }, metadata }).thenThrows(DomainRuleError, 'tally-limit-exceeded');
  });

  it('fails thenThrows for another rule, another class, or no error at all', () => {
    expect(() => spec.given([]).when({ type: 'AddToTally', data: { amount: 1 }, metadata }).thenThrows(IllegalStateError, 'tally-already-opened')).toThrow(/rule/);
    expect(() => spec.given([opened, { type: 'intake.TallyAdded', data: { amount: 5 } }]).when({ type: 'AddToTally', data: { amount: 1 }, metadata }).thenThrows(IllegalStateError)).toThrow(/expected IllegalStateError/);
    expect(() => spec.given([opened]).when({ type: 'AddToTally', data: { amount: 1 }, metadata }).thenThrows(DomainRuleError)).toThrow(/decide returned/);
  });
});

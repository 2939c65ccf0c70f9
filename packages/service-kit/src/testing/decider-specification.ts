// Decider tests that read as specifications (after Emmett's DeciderSpecification):
//   spec.given([events]).when(command).then([events])
//   spec.given([events]).when(command).thenThrows(IllegalStateError, 'referral-already-accepted')
// Plain node:assert, so it works under any test runner and shows a diff on failure.
import assert from 'node:assert/strict';
import { fold } from '../decider.ts';
import type { Decider } from '../decider.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

export type DeciderThen<E> = {
  then(expected: readonly E[]): void;
  /** `rule` is compared with the error's `rule` (DomainRuleError and its kind). */
  thenThrows(errorClass: ErrorClass, rule?: string): void;
};

function decideOrFail<C, E, S>(decider: Decider<C, E, S>, given: readonly E[], command: C): E[] {
  try {
    return decider.decide(command, fold(decider, given, decider.initialState()));
  } catch (error) {
    assert.fail(`expected events, but decide threw ${(error as Error).name}: ${(error as Error).message}`);
  }
}

export const DeciderSpecification = {
  for<C, E, S>(decider: Decider<C, E, S>) {
    return {
      given(given: readonly E[]) {
        return {
          when(command: C): DeciderThen<E> {
            return {
              then(expected) {
                assert.deepStrictEqual(decideOrFail(decider, given, command), expected);
              },
              thenThrows(errorClass, rule) {
                let decided: E[];
                try {
                  decided = decider.decide(command, fold(decider, given, decider.initialState()));
                } catch (error) {
                  assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${(error as Error).name}: ${(error as Error).message}`);
                  if (rule !== undefined) assert.equal((error as { rule?: unknown }).rule, rule, 'the refusing rule');
                  return;
                }
                assert.fail(`expected ${errorClass.name}, but decide returned ${JSON.stringify(decided)}`);
              },
            };
          },
        };
      },
    };
  },
};

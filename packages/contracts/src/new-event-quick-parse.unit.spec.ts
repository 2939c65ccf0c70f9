// The hand-written check against NewEventSchema itself, on seeded random events: valid ones and
// ones changed in the ways callers get events wrong (or unusual). Whatever the quick check
// accepts, the schema accepts with the very same value; whatever the schema refuses, the quick
// check refuses too.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NewEventSchema } from './envelope.ts';
import { newId } from './ids.ts';
import { quickParseNewEvent } from './new-event-quick-parse.ts';
import { seededRandom } from './seeded-random.ts';

type Loose = Record<string, unknown>;

function validEvent(pick: <T>(values: readonly T[]) => T): Loose {
  return {
    id: newId(),
    type: pick(['intake.TipReceived', 'rescue.HandoverScheduled', 'liaison.PacketIssued']),
    schemaVersion: pick([1, 2, 17]),
    occurredAt: pick(['2026-11-24T08:00:00.000Z', '2024-02-29T23:59:59.999Z', '2000-01-01T00:00:00.000Z']),
    agency: pick(['intake', 'identification', 'rescue', 'protection', 'reintegration', 'audit', 'liaison']),
    actor: pick(['officer-1', 'x'.repeat(200), 'Nguyễn Văn A']),
    caseId: pick([null, newId()]),
    causationId: pick([null, newId()]),
    traceparent: pick([null, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']),
    data: pick([{}, { note: 'test', nested: { list: [1, 'two', null] } }, { 10: 'ten', 2: 'two', b: undefined, a: true }]),
  };
}

const WRONG_VALUES: Record<string, unknown[]> = {
  id: ['01arz3ndektsv4rrffq69g5fav', '8ZZZZZZZZZZZZZZZZZZZZZZZZZ', '01ARZ3NDEKTSV4RRFFQ69G5FA', 42, null, undefined],
  type: ['intake.tipReceived', 'police.TipReceived', 'intake.', 'TipReceived', 'intake.Tip-Received'],
  schemaVersion: [0, -1, 1.5, '1', 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, null],
  occurredAt: ['2026-02-29T08:00:00.000Z', '2026-11-24T08:00:00Z', '2026-11-24T08:00:00.000+07:00', '2026-11-24T24:00:00.000Z', '2026-11-24 08:00:00.000Z', '2026-11-24T08:00:00.0000Z', new Date()],
  agency: ['police', 'INTAKE', '', null],
  actor: ['', 'x'.repeat(201), 7, null],
  caseId: ['not-a-ulid', undefined, 0],
  causationId: ['', undefined],
  traceparent: ['00-00000000000000000000000000000000-b7ad6b7169203331-01', '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01', undefined, ''],
  data: [null, [], [1, 2], 'text', 7, new Date(), new Map(), undefined],
};

class Payload {
  note = 'from a class';
}

/** Unusual but possibly valid shapes: the quick check may leave them to the schema, never disagree with it. */
const ODD_SHAPES: ((event: Loose) => unknown)[] = [
  (event) => ({ ...event, extra: 1 }),
  (event) => Object.assign(Object.create(null) as Loose, event),
  (event) => Object.create(event) as unknown,
  (event) => Object.assign(Object.create({ inherited: true }) as Loose, event),
  (event) => Object.defineProperty({ ...event }, 'actor', { value: event.actor, enumerable: false }),
  (event) => ({ ...event, data: Object.assign(Object.create(null) as Loose, { a: 1 }) }),
  (event) => ({ ...event, data: new Payload() }),
  (event) => ({ ...event, data: { a: 1, [Symbol('s')]: 2 } }),
  (event) => ({ ...event, data: Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false }) }),
  (event) => ({ ...event, data: JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown }),
  (event) => ({ ...event, data: { f: () => 1, big: 10n, u: undefined } }),
  (event) => {
    const { data: _data, ...rest } = event;
    return rest;
  },
  () => [],
  () => null,
  () => 'event',
];

describe('quickParseNewEvent', () => {
  it('agrees with NewEventSchema on 20,000 seeded events, valid, wrong and odd', () => {
    const random = seededRandom(20261124);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    let quickAccepted = 0;
    let schemaAccepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: unknown = validEvent(pick);
      const roll = random();
      if (roll < 0.5) {
        for (let changes = 1 + Math.floor(random() * 2); changes > 0; changes--) {
          const member = pick(Object.keys(WRONG_VALUES));
          (input as Loose)[member] = pick(WRONG_VALUES[member]!);
        }
      } else if (roll < 0.75) {
        input = pick(ODD_SHAPES)(input as Loose);
      }
      const quick = quickParseNewEvent(input);
      const schema = NewEventSchema.safeParse(input);
      if (schema.success) schemaAccepted++;
      if (quick === undefined) {
        if (roll >= 0.75) expect.fail(`a valid ordinary event was left to the schema: ${inspect(input)}`);
        continue;
      }
      quickAccepted++;
      expect(schema.success, `the quick check accepted what the schema refuses: ${inspect(input)}`).toBe(true);
      const parsed = schema.data!;
      expect(quick).toStrictEqual(parsed);
      expect(Object.keys(quick)).toEqual(Object.keys(parsed));
      expect(Object.keys(quick.data)).toEqual(Object.keys(parsed.data));
      // Copies, as the schema makes: a caller changing its event afterwards changes nothing stored.
      expect(quick).not.toBe(input);
      expect(quick.data).not.toBe((input as Loose).data);
    }
    expect(quickAccepted).toBeGreaterThan(5_000);
    expect(schemaAccepted).toBeGreaterThanOrEqual(quickAccepted);
  });
});

// Appends are checked before they are queued: a malformed event is refused whole, at once,
// and never reaches a transaction (so one bad append cannot fail the batch it would join).
import { NewEventSchema, StreamNameSchema, issuesOf, quickParseNewEvent } from '@nrm/contracts';
import type { NewEvent } from '@nrm/contracts';
import { InvalidAppendError } from './errors.ts';
import type { ExpectedRevision } from './port.ts';

export function validateAppend(stream: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): NewEvent[] {
  if (!StreamNameSchema.safeParse(stream).success) throw new InvalidAppendError(`invalid stream name ${JSON.stringify(stream)}`);
  if (events.length === 0) throw new InvalidAppendError(`append to ${stream} has no events`);
  if (!(expectedRevision === 'any' || expectedRevision === 'no_stream' || expectedRevision === 'stream_exists' || (Number.isInteger(expectedRevision) && expectedRevision >= 0))) {
    throw new InvalidAppendError(`invalid expected revision ${String(expectedRevision)}`);
  }
  const ids = new Set<string>();
  return events.map((event, index) => {
    // The ordinary event is checked by hand; the schema decides the rest and words the errors.
    let valid = quickParseNewEvent(event);
    if (!valid) {
      const parsed = NewEventSchema.safeParse(event);
      if (!parsed.success) {
        const details = issuesOf(parsed.error).map((issue) => `${issue.path || '(event)'}: ${issue.message}`).join('; ');
        throw new InvalidAppendError(`event ${index} of the append to ${stream} is invalid: ${details}`);
      }
      valid = parsed.data;
    }
    if (ids.has(valid.id)) throw new InvalidAppendError(`event id ${valid.id} appears twice in one append`);
    ids.add(valid.id);
    return valid;
  });
}

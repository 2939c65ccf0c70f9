// Runs the example projection on a service database until it is killed. The crash-recovery
// test starts it as a child process and SIGKILLs it mid-run, the crash no in-process close
// can imitate. It prints each committed checkpoint so the test knows when to strike.
import { createSqliteEventStore } from '@nrm/eventstore';
import { runProjection } from '../run-projection.ts';
import { createSqliteProjectionStore } from '../sqlite/sqlite-projection-store.ts';
import { eventsPerStreamProjection } from './events-per-stream-projection.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: projection-crash-worker.ts <database path>');
const events = createSqliteEventStore({ path });
const projections = createSqliteProjectionStore({ database: events.database });
const handle = runProjection({
  store: events,
  projections,
  projection: eventsPerStreamProjection(),
  signal: new AbortController().signal,
  batchSize: 7,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
let reported = -1;
setInterval(() => {
  if (handle.status.position === reported) return;
  reported = handle.status.position;
  process.stdout.write(`${reported}\n`);
}, 2);

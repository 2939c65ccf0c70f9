// The data set `nrm verify` is measured on: one SQLite store per referral agency and the audit
// archive (audit.db) holding the same events, as the distributed backbone leaves them. Going
// through append() and record() would take minutes for a million events (fsyncs, validation),
// so rows are written straight with node:sqlite, in the forms the real code makes: the store's
// body is `hashedForm`, its hash that text's SHA-256, the archive's envelope `canonicalize` of
// the recorded event. Tables come from the real adapters, so the layout is theirs.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { GENESIS_HASH, REFERRAL_AGENCIES, canonicalize, hashedForm, newId, sha256Hex } from '@nrm/contracts';
import type { HashedEvent } from '@nrm/contracts';
import { createSqliteArchiveStore } from '@nrm/audit';
import { createSqliteEventStore } from '@nrm/eventstore';

export const EVENTS_PER_CASE = 30;
const PER_AGENCY = EVENTS_PER_CASE / REFERRAL_AGENCIES.length;
const COMMIT_EVERY = 50_000;

export type VerifyDataset = { stores: string[]; archive: string; events: number };

function openForLoad(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  // A throwaway data set: nothing to keep on a crash, so no journal and no syncing (WAL again at the end).
  database.exec('PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;');
  return database;
}

/** A referral-sized payload with a sealed personal field, different in every event. */
function payload(caseId: string, at: string): Record<string, unknown> {
  return {
    referralId: newId(),
    to: 'protection',
    kind: 'protection',
    priority: 'normal',
    involvesChild: false,
    summary: 'Returned from abroad; needs shelter, medical care and help contacting family.',
    acceptBy: at,
    victimName: { sealed: 'nrm.v1', subject: caseId, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: newId() + newId(), tag: 'B'.repeat(22) },
  };
}

/**
 * Writes `total` events (whole cases of 30, six per agency, each agency's in its own stream) to
 * `<dir>/<agency>.db` and archives them, case by case, in `<dir>/audit.db`.
 */
export async function buildVerifyDataset(dir: string, total: number): Promise<VerifyDataset> {
  const storePaths = REFERRAL_AGENCIES.map((agency) => join(dir, `${agency}.db`));
  const archivePath = join(dir, 'audit.db');
  for (const path of storePaths) await createSqliteEventStore({ path, durability: 'normal' }).close();
  await createSqliteArchiveStore({ path: archivePath }).close();

  const stores = storePaths.map(openForLoad);
  const archive = openForLoad(archivePath);
  const inserts = stores.map((database) => database.prepare('INSERT INTO events (position, id, stream, revision, type, agency, case_id, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'));
  const archiveInsert = archive.prepare('INSERT INTO audit_archive (sequence, id, case_id, agency, type, recorded_at, archived_at, hash, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const all = [...stores, archive];
  const positions = stores.map(() => 0);
  const start = Date.UTC(2026, 9, 1);
  let sequence = 0;
  for (const database of all) database.exec('BEGIN');
  while (sequence < total) {
    const caseId = newId();
    let cause: string | null = null;
    let previousHash = GENESIS_HASH;
    for (let i = 0; i < EVENTS_PER_CASE && sequence < total; i++) {
      const agencyIndex = Math.floor(i / PER_AGENCY);
      const agency = REFERRAL_AGENCIES[agencyIndex]!;
      const revision = i % PER_AGENCY;
      const at = new Date(start + sequence * 100).toISOString();
      const hashed: HashedEvent = {
        id: newId(),
        type: `${agency}.ReferralIssued`,
        schemaVersion: 1,
        occurredAt: at,
        agency,
        actor: `${agency}-officer`,
        caseId,
        causationId: cause,
        traceparent: null,
        data: payload(caseId, at),
        stream: `${agency}-case-${caseId}`,
        revision,
        recordedAt: at,
        // An agency's six events of a case are consecutive, so the stream's head is the last hash.
        prevHash: revision === 0 ? GENESIS_HASH : previousHash,
      };
      const body = hashedForm(hashed);
      const hash = sha256Hex(body);
      previousHash = hash;
      const position = positions[agencyIndex]!++;
      inserts[agencyIndex]!.run(position, hashed.id, hashed.stream, revision, hashed.type, agency, caseId, body, hash);
      const envelope = canonicalize({ ...hashed, position, hash });
      archiveInsert.run(sequence, hashed.id, caseId, agency, hashed.type, at, at, hash, envelope);
      cause = hashed.id;
      sequence++;
      if (sequence % COMMIT_EVERY === 0) for (const database of all) database.exec('COMMIT; BEGIN');
    }
  }
  for (const database of all) {
    database.exec('COMMIT; PRAGMA journal_mode = WAL;');
    database.close();
  }
  return { stores: storePaths.map((path) => `sqlite:${path}`), archive: `sqlite:${archivePath}`, events: total };
}

// Audit: the steering committee standing office's read side — replay a case across agencies,
// prove nothing was changed, produce the statistics. Reads every agency's events into an archive
// of its own, independent of the agencies' stores; writes none of theirs.
import type { BackboneService, ServiceStorage } from '@nrm/service-kit';
import { startArchiveConsumer } from './archive/archive-consumer.ts';
import type { ArchiveStore } from './archive/archive-store.ts';
import { openArchive } from './archive/open-archive.ts';
import { registerCaseEventsRoute } from './case-history/case-events-route.ts';
import { registerCaseHistoryRoutes } from './case-history/case-history-route.ts';
import { registerConsoleRoutes } from './console/console-routes.ts';
import { registerLogRoutes } from './log/log-routes.ts';
import { loadAuditSigner } from './signing/audit-signer.ts';
import { registerStatisticsRoutes } from './statistics/statistics-routes.ts';
import type { AuditSigner } from './signing/audit-signer.ts';

export type { ArchiveConflict, ArchiveRange, ArchiveStore, ArchivedEvent, RecordOutcome } from './archive/archive-store.ts';
export { ArchiveClosedError, InvalidArchiveRequestError } from './archive/archive-store.ts';
export { createSqliteArchiveStore } from './archive/sqlite/sqlite-archive-store.ts';
export { createPostgresArchiveStore } from './archive/postgres/postgres-archive-store.ts';
export { ARCHIVE_CONSUMER, startArchiveConsumer } from './archive/archive-consumer.ts';
export { AUDIT_SIGNING_KEY_ENV, loadAuditSigner } from './signing/audit-signer.ts';
export type { AuditSigner } from './signing/audit-signer.ts';
export { MerkleLog, leafHash, nodeHash } from './merkle/merkle-log.ts';
export { verifyConsistency, verifyInclusion } from './merkle/merkle-proofs.ts';

// `routes` runs before `start`, both with the process's one storage: they share one archive,
// closed by the worker (or, if the process never starts workers, when the app closes).
const archives = new WeakMap<ServiceStorage, Promise<ArchiveStore>>();

export function archiveIn(storage: ServiceStorage): Promise<ArchiveStore> {
  let archive = archives.get(storage);
  if (!archive) {
    archive = openArchive(storage);
    archives.set(storage, archive);
    archive.catch(() => archives.delete(storage));
  }
  return archive;
}

const signers = new WeakMap<ServiceStorage, Promise<AuditSigner>>();

/** The one signing key of this audit service (tree heads, case bundles). */
export function signerIn(storage: ServiceStorage): Promise<AuditSigner> {
  let signer = signers.get(storage);
  if (!signer) {
    signer = loadAuditSigner(storage);
    signers.set(storage, signer);
    signer.catch(() => signers.delete(storage));
  }
  return signer;
}

async function closeArchiveIn(storage: ServiceStorage): Promise<void> {
  const archive = archives.get(storage);
  archives.delete(storage);
  await (await archive?.catch(() => undefined))?.close();
}

export const auditService: BackboneService = {
  name: 'audit',
  description: "Audit: replay, integrity proofs, statistics and the auditor console (the standing office's read side)",
  routes: async (app, { storage }) => {
    registerCaseEventsRoute(app, await archiveIn(storage));
    registerCaseHistoryRoutes(app, await archiveIn(storage), () => signerIn(storage));
    registerStatisticsRoutes(app, await archiveIn(storage));
    registerLogRoutes(app, await archiveIn(storage), await signerIn(storage));
    registerConsoleRoutes(app);
    app.addHook('onClose', () => closeArchiveIn(storage));
  },
  start: async ({ storage, bus }) => {
    const archive = await archiveIn(storage);
    const consumer = startArchiveConsumer(bus, archive);
    return [
      {
        name: 'audit.archive',
        async stop() {
          await consumer.stop();
          await closeArchiveIn(storage);
        },
      },
    ];
  },
};
export { caseHistory } from './case-history/case-history.ts';

import { join } from 'node:path';
import type { Logger } from 'pino';
import { type AuditService, createAudit } from '../audit/index.ts';
import { type TokenService, tokenService } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import { createIdentity, type IdentityService } from '../identity/index.ts';
import { createIngest, type IngestService } from '../ingest/index.ts';
import { type JobRunner, jobRunner } from '../jobs/index.ts';
import { applyPiiMasking } from '../pii/apply.ts';
import { createPii, type PiiService } from '../pii/index.ts';
import { createSegments, type SegmentsService } from '../segments/index.ts';
import { migrate, openStores, type Stores } from '../storage/index.ts';
import { jobRepository } from '../storage/repositories/jobs.ts';
import { workspaceRepository } from '../storage/repositories/workspaces.ts';
import { createUsers, type UserService } from '../users/index.ts';
import { type WorkspaceService, workspaceService } from '../workspaces/index.ts';

/** Every service, wired once. The API layer and the CLI only see this. */
export interface Platform {
  config: Config;
  log: Logger;
  stores: Stores;
  tokens: TokenService;
  workspaces: WorkspaceService;
  /** Console users, sessions and invitations. */
  users: UserService;
  jobs: JobRunner;
  identity: IdentityService;
  ingest: IngestService;
  segments: SegmentsService;
  /** Which traits are PII, and each caller's masking policy. */
  pii: PiiService;
  /** The append-only audit log (buffered writes, flushed on close). */
  audit: AuditService;
  /** Work to run before the stores close (flush queues, stop workers), in order. */
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function createPlatform(config: Config, log: Logger): Promise<Platform> {
  const stores = await openStores(config);
  try {
    const applied = await migrate(stores, config);
    if (applied.clickhouse.length)
      log.info({ migrations: applied.clickhouse }, 'clickhouse migrations applied');
  } catch (err) {
    await stores.close();
    throw err;
  }
  const wsRepo = workspaceRepository(stores.pg.db);
  const jobs = jobRunner(jobRepository(stores.pg.db), log.child({ module: 'jobs' }), {
    singleNode: stores.pg.embedded,
  });
  const identity = createIdentity({
    db: stores.pg.db,
    ch: stores.ch,
    jobs,
    log: log.child({ module: 'identity' }),
    // Node-local documents would go stale across API nodes sharing a PostgreSQL server.
    docsDir: config.postgres.url ? null : join(config.dataDir, 'profile-docs'),
  });
  // The `identity.match` job is registered by createIdentity; this enqueues it daily per workspace.
  identity.matching.start();
  const ingest = await createIngest({
    ch: stores.ch,
    identity: identity.resolver,
    config,
    log: log.child({ module: 'ingest' }),
  });
  const segments = createSegments({
    db: stores.pg.db,
    ch: stores.ch,
    jobs,
    ingest,
    identity,
    log: log.child({ module: 'segments' }),
  });
  // Flush what was acknowledged-to-be before anything else closes; then let real-time segment
  // entry finish with the flushed events.
  const closers: (() => Promise<void>)[] = [
    () => ingest.close(),
    () => identity.resolver.flushSeen(),
    () => segments.close(),
  ];
  closers.push(() => identity.matching.stop());
  const audit = createAudit({ db: stores.pg.db, log: log.child({ module: 'audit' }) });
  const pii = createPii({ db: stores.pg.db });
  applyPiiMasking({ pii, audit, identity, ingest, segments });
  closers.push(() => audit.close());
  let closed = false;
  return {
    config,
    log,
    stores,
    tokens: tokenService(wsRepo),
    workspaces: workspaceService(wsRepo),
    users: createUsers({ db: stores.pg.db, workspaces: wsRepo, log: log.child({ module: 'users' }) }),
    jobs,
    identity,
    ingest,
    segments,
    pii,
    audit,
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const fn of closers) {
        await fn().catch((err) => log.error({ err }, 'error while closing'));
      }
      await jobs.stop();
      // Last before the stores: a profile change after this would leave a stale document.
      await identity.profiles.documents
        .close()
        .catch((err) => log.error({ err }, 'error while closing profile documents'));
      await stores.close();
    },
  };
}

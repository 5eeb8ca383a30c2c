import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { ClickHouse } from '../storage/index.ts';
import { MessageIdIndex } from './dedup.ts';
import { IngestPipeline } from './pipeline.ts';
import { eventReader } from './read.ts';
import type { IdentityStage } from './stage.ts';

export type { StoredListener, SubmitResult } from './pipeline.ts';
export { IngestPipeline } from './pipeline.ts';
export type { EventFilter, EventReader, EventView } from './read.ts';
export { currentProfileEvents } from './read.ts';
export type { IdentityStage, IngestItem } from './stage.ts';

/** Opens the ingestion pipeline: loads the message-id index, then accepts events. */
export async function createIngest(deps: {
  ch: ClickHouse;
  identity: IdentityStage;
  config: Pick<Config, 'ingest' | 'dataDir'>;
  log: Logger;
}) {
  const index = new MessageIdIndex(deps.ch, join(deps.config.dataDir, 'message-ids.bloom'), deps.log);
  await index.load();
  const pipeline = new IngestPipeline(deps.ch, index, deps.identity, deps.config.ingest, deps.log);
  return {
    pipeline,
    events: eventReader(deps.ch),
    submit: pipeline.submit.bind(pipeline),
    close: () => pipeline.close(),
  };
}

export type IngestService = Awaited<ReturnType<typeof createIngest>>;

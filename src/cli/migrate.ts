import { createLogger } from '../platform/logger.ts';
import { migrate, openStores } from '../storage/index.ts';
import { describeStartupError } from './errors.ts';
import { loadConfigOrExit } from './start.ts';

/** `datapulse migrate`: applies PostgreSQL and ClickHouse migrations, then exits. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config);
  try {
    const stores = await openStores(config);
    try {
      const { clickhouse } = await migrate(stores, config);
      log.info({ clickhouse }, 'migrations applied');
    } finally {
      await stores.close();
    }
  } catch (err) {
    process.stderr.write(`datapulse: ${describeStartupError(err)}\n`);
    process.exit(2);
  }
}

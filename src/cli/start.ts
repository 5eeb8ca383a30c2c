import { buildApp } from '../api/app.ts';
import { type Config, loadConfig } from '../config/index.ts';
import { createPlatform } from '../platform/index.ts';
import { createLogger } from '../platform/logger.ts';
import { adminFromConfig } from '../users/index.ts';
import { describeStartupError } from './errors.ts';

function fail(err: unknown): never {
  process.stderr.write(`datapulse: ${describeStartupError(err)}\n`);
  process.exit(2);
}

export function loadConfigOrExit(): Config {
  try {
    const config = loadConfig();
    adminFromConfig(config.bootstrap); // a weak DATAPULSE_ADMIN_PASSWORD fails before anything opens
    return config;
  } catch (err) {
    fail(err);
  }
}

/** `datapulse start`: the whole platform on one port, until SIGINT/SIGTERM. */
export async function start(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config);
  const platform = await createPlatform(config, log).catch(fail);
  const state = { ready: false };
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    const boot = await platform.workspaces.bootstrap({
      token: config.bootstrap.token,
      dataDir: config.dataDir,
    });
    if (boot.generatedToken) {
      process.stdout.write(
        `\nDataPulse owner API token (shown once, also saved to ${config.dataDir}/bootstrap-token):\n  ${boot.generatedToken}\n\n`,
      );
    }
    // The first console user, from DATAPULSE_ADMIN_EMAIL / DATAPULSE_ADMIN_PASSWORD (once).
    await platform.users.bootstrapOwner(config.bootstrap);
    app = await buildApp(platform, state);
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await platform.close();
    fail(err);
  }
  await platform.jobs.start();
  state.ready = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  log.info(
    { url: `http://${config.http.host}:${port}`, embedded: platform.stores.ch.embedded },
    'DataPulse is ready',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    state.ready = false;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close(); // stop accepting; wait for in-flight requests
      await platform.close(); // flush queues, stop workers, close stores
      await new Promise<void>((resolve) => log.flush(() => resolve()));
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

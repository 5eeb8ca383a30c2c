import { resolve } from 'node:path';

/**
 * One typed configuration, read from the environment once at start-up. Defaults run the embedded
 * mode. A bad value raises ConfigError naming the variable; the CLI prints it and exits 2.
 */
export interface Config {
  http: { host: string; port: number; trustProxy: boolean; bodyLimitBytes: number };
  dataDir: string;
  clickhouse: {
    url: string | null;
    database: string;
    username: string | null;
    password: string | null;
    /** Cluster name: migrations get ON CLUSTER and Replicated engines. */
    cluster: string | null;
  };
  postgres: { url: string | null };
  /** 'process' survives a process crash; 'power' also fsyncs every insert to survive a power cut. */
  durability: 'process' | 'power';
  bootstrap: { token: string | null; adminEmail: string | null; adminPassword: string | null };
  ingest: {
    maxBatchEvents: number;
    flushIntervalMs: number;
    maxQueuedEvents: number;
    /** Requests per second per write key; 0 = off. */
    rateLimitPerKey: number;
  };
  log: { level: string; pretty: boolean };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === null) return def;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `expected ${min}..${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const v = str(env, name);
  if (v === null) return def;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(name, `expected true or false, got ${JSON.stringify(v)}`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], def: T): T {
  const v = str(env, name);
  if (v === null) return def;
  if (!(values as readonly string[]).includes(v)) {
    throw new ConfigError(name, `expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const v = str(env, name);
  if (v === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, 'not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL`);
  }
  return v;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(str(env, 'DATAPULSE_DATA_DIR') ?? './data');
  return {
    http: {
      host: str(env, 'HOST') ?? '127.0.0.1',
      port: int(env, 'PORT', 8080, 0, 65535),
      trustProxy: bool(env, 'DATAPULSE_TRUST_PROXY', false),
      bodyLimitBytes: int(env, 'DATAPULSE_BODY_LIMIT', 500 * 1024, 1024, 4 * 1024 * 1024),
    },
    dataDir,
    clickhouse: {
      url: url(env, 'CLICKHOUSE_URL', ['http:', 'https:']),
      database: str(env, 'CLICKHOUSE_DATABASE') ?? 'default',
      username: str(env, 'CLICKHOUSE_USER'),
      password: str(env, 'CLICKHOUSE_PASSWORD'),
      cluster: str(env, 'CLICKHOUSE_CLUSTER'),
    },
    postgres: { url: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']) },
    durability: oneOf(env, 'DATAPULSE_DURABILITY', ['process', 'power'] as const, 'process'),
    bootstrap: {
      token: str(env, 'DATAPULSE_BOOTSTRAP_TOKEN'),
      adminEmail: str(env, 'DATAPULSE_ADMIN_EMAIL'),
      adminPassword: str(env, 'DATAPULSE_ADMIN_PASSWORD'),
    },
    ingest: {
      maxBatchEvents: int(env, 'DATAPULSE_INGEST_BATCH', 5000, 1, 100_000),
      flushIntervalMs: int(env, 'DATAPULSE_INGEST_FLUSH_MS', 5, 0, 10_000),
      maxQueuedEvents: int(env, 'DATAPULSE_INGEST_QUEUE', 100_000, 100, 10_000_000),
      rateLimitPerKey: int(env, 'DATAPULSE_RATE_LIMIT', 0, 0, 10_000_000),
    },
    log: {
      level: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
      pretty: bool(env, 'DATAPULSE_LOG_PRETTY', Boolean(process.stdout.isTTY)),
    },
  };
}

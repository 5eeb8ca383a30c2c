/** `datapulse demo` options: flags, then environment, then defaults. */
import { resolve } from 'node:path';
import { DemoError } from './send.ts';

export interface DemoOptions {
  profiles: number;
  days: number;
  /** Base URL of a running DataPulse, without a trailing slash. */
  url: string;
  /** API token for creating the Demo source; found later (env, bootstrap file) when absent. */
  token?: string;
  /** Send with this write key instead of creating a Demo source. */
  writeKey?: string;
  seed: number;
  /** Where `demo/ad-spend.csv` goes and `bootstrap-token` is looked for. */
  dataDir: string;
}

export const DEMO_HELP = `Usage: datapulse demo [options]

Sends a realistic demo dataset (an online shop with apps, a video subscription service, ad
campaigns) through the collection API of a running DataPulse (start it with \`npm start\`).

Options:
  --profiles N      simulated people (default 10000)
  --days N          days of history, ending now (default 90)
  --url URL         the server (default http://127.0.0.1:$PORT, PORT defaulting to 8080)
  --token TOKEN     API token that creates the "Demo" source (default: $DATAPULSE_TOKEN,
                    else <data dir>/bootstrap-token)
  --write-key KEY   send with this source's write key instead (no token needed)
  --seed N          random seed; the same seed gives the same people (default 42)
  --data-dir DIR    data directory (default $DATAPULSE_DATA_DIR, else ./data); the ad spend
                    is written to <data dir>/demo/ad-spend.csv and .json
  -h, --help        show this help
`;

const FLAGS = ['profiles', 'days', 'url', 'token', 'write-key', 'seed', 'data-dir'] as const;
type Flag = (typeof FLAGS)[number];

function usageError(message: string): DemoError {
  return new DemoError(message, 2);
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || n < min || n > max) {
    throw usageError(
      `--${flag}: expected a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function baseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`${source}: not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${source}: must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Parses argv after `demo`. Returns 'help' for -h/--help; throws DemoError (exit 2) on a bad flag. */
export function parseDemoArgs(
  args: readonly string[],
  env: Record<string, string | undefined>,
): DemoOptions | 'help' {
  const given: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = match?.[1] as Flag | undefined;
    if (!match || !flag || !FLAGS.includes(flag)) {
      throw usageError(`unknown option ${JSON.stringify(arg)}; see \`datapulse demo --help\``);
    }
    let value = match[2];
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw usageError(`--${flag}: needs a value`);
      i++;
    }
    if (value.trim() === '') throw usageError(`--${flag}: needs a value`);
    given[flag] = value.trim();
  }
  const port = env.PORT?.trim() || '8080';
  const envDir = env.DATAPULSE_DATA_DIR?.trim();
  return {
    profiles: given.profiles === undefined ? 10_000 : wholeNumber('profiles', given.profiles, 1, 1_000_000),
    days: given.days === undefined ? 90 : wholeNumber('days', given.days, 1, 3650),
    url: given.url === undefined ? baseUrl(`http://127.0.0.1:${port}`, 'PORT') : baseUrl(given.url, '--url'),
    token: given.token,
    writeKey: given['write-key'],
    seed: given.seed === undefined ? 42 : wholeNumber('seed', given.seed, 0, 2 ** 32 - 1),
    dataDir: resolve(given['data-dir'] ?? (envDir || './data')),
  };
}

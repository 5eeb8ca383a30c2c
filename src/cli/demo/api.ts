/** The REST calls the demo makes before sending: is the server up, which token, which source. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoError } from './send.ts';

type Fetch = typeof fetch;

function reason(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/**
 * `GET /health` until it answers 200. Unreachable → DemoError naming `--url`; a server still
 * starting (503) is waited for up to `waitMs`.
 */
export async function checkServer(
  url: string,
  opts: { fetch?: Fetch; waitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (opts.waitMs ?? 60_000);
  for (;;) {
    let status: number;
    try {
      const res = await doFetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      throw new DemoError(
        `--url: cannot reach DataPulse at ${url} (${reason(err)}); start it with \`npm start\` or pass --url`,
        2,
      );
    }
    if (status === 200) return;
    if (status !== 503 || Date.now() >= deadline) {
      throw new DemoError(`--url: ${url}/health answered ${status}; is this a DataPulse server?`, 2);
    }
    await sleep(500);
  }
}

/** `--token`, else `$DATAPULSE_TOKEN`, else the first line of `<data dir>/bootstrap-token`; null when none. */
export function resolveToken(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  dataDir: string,
): string | null {
  if (flag) return flag;
  const fromEnv = env.DATAPULSE_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'bootstrap-token');
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8').split('\n')[0].trim() || null;
}

export interface DemoSource {
  id: string;
  name: string;
  writeKey: string;
  created: boolean;
}

async function api(url: string, token: string, path: string, init: RequestInit, doFetch: Fetch) {
  let res: Response;
  try {
    res = await doFetch(`${url}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new DemoError(`--url: ${init.method ?? 'GET'} /api/v1${path} failed (${reason(err)})`, 2);
  }
  const text = await res.text();
  if (res.status === 401) throw new DemoError('--token: the server rejected the API token (401)', 2);
  if (res.status === 403)
    throw new DemoError(
      `--token: this token may not ${init.method ?? 'GET'} /api/v1${path} (403); use an owner or admin token`,
      2,
    );
  if (res.status >= 300) {
    throw new DemoError(
      `${init.method ?? 'GET'} /api/v1${path} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as unknown;
}

interface SourcePage {
  data: { id: string; name: string; writeKey: string }[];
  nextCursor: string | null;
}

/** The workspace's source named "Demo", created when there is none. */
export async function demoSource(url: string, token: string, doFetch: Fetch = fetch): Promise<DemoSource> {
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = `/sources?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const list = (await api(url, token, query, { method: 'GET' }, doFetch)) as SourcePage;
    const found = list.data.find((s) => s.name === 'Demo');
    if (found) return { id: found.id, name: found.name, writeKey: found.writeKey, created: false };
    cursor = list.nextCursor;
    if (!cursor) break;
  }
  const made = (await api(
    url,
    token,
    '/sources',
    { method: 'POST', body: JSON.stringify({ name: 'Demo' }) },
    doFetch,
  )) as {
    id: string;
    name: string;
    writeKey: string;
  };
  return { id: made.id, name: made.name, writeKey: made.writeKey, created: true };
}

/** Loads the ad spend through `POST /api/v1/marketing/spend` (same rows replace themselves); returns the row count. */
export async function uploadSpend(
  url: string,
  token: string,
  rows: readonly unknown[],
  doFetch: Fetch = fetch,
): Promise<number> {
  const done = (await api(
    url,
    token,
    '/marketing/spend',
    { method: 'POST', body: JSON.stringify(rows) },
    doFetch,
  )) as { rows: number };
  return done.rows;
}

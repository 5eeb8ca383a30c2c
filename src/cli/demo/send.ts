/**
 * Sends messages through the collection API as an SDK would: `POST /v1/batch` with HTTP Basic
 * auth, batches of at most 500 events and under the 500 KB body limit, two requests in flight,
 * retries on 429 / 5xx / network errors honouring `Retry-After`, a too-large batch split in two.
 */
import type { DemoMessage } from './timeline.ts';

/** A failure the run cannot recover from; the message is one line for the user. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}

export interface SendOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  writeKey: string;
  batchSize?: number;
  /** Body bytes per request (the server's default limit is 500 KB). */
  maxBatchBytes?: number;
  concurrency?: number;
  /** Attempts per request before giving up. */
  maxAttempts?: number;
  /** First back-off delay when the server gives no Retry-After; doubles per attempt, at most 30 s. */
  retryBaseMs?: number;
  /** Milliseconds before a request is abandoned (and retried). */
  timeoutMs?: number;
  /** Called with the number of events each acknowledged request carried. */
  onSent?: (events: number) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface SendResult {
  /** Events acknowledged by the server (accepted or reported as rejected). */
  sent: number;
  rejected: number;
  /** The first few rejection reasons, as the server gave them. */
  rejections: string[];
  requests: number;
  retries: number;
}

interface Batch {
  items: string[];
  bytes: number;
}

const DEFAULTS = {
  batchSize: 500,
  maxBatchBytes: 450_000,
  concurrency: 2,
  maxAttempts: 12,
  retryBaseMs: 500,
  timeoutMs: 120_000,
};

/** `{"batch":[` … `],"sentAt":"…"}` around the serialised events. */
const ENVELOPE_BYTES = 64;

/**
 * Groups serialised events into batches. A person's events go into one batch when they fit
 * (so their identify and the calls after it travel together); bigger ones are cut.
 */
export function* batchesOf(
  people: Iterable<{ events: readonly DemoMessage[] }>,
  batchSize = DEFAULTS.batchSize,
  maxBytes = DEFAULTS.maxBatchBytes,
): Generator<Batch> {
  let items: string[] = [];
  let bytes = ENVELOPE_BYTES;
  const full = (count: number, more: number) => items.length + count > batchSize || bytes + more > maxBytes;
  const flush = (): Batch => {
    const batch = { items, bytes };
    items = [];
    bytes = ENVELOPE_BYTES;
    return batch;
  };
  for (const person of people) {
    const json = person.events.map((e) => JSON.stringify(e));
    const sizes = json.map((s) => Buffer.byteLength(s) + 1);
    if (
      items.length > 0 &&
      full(
        json.length,
        sizes.reduce((a, b) => a + b, 0),
      )
    )
      yield flush();
    for (let i = 0; i < json.length; i++) {
      if (items.length > 0 && full(1, sizes[i])) yield flush();
      items.push(json[i]);
      bytes += sizes[i];
    }
  }
  if (items.length > 0) yield flush();
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function retriable(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e?.name === 'TimeoutError') return 'request timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** Sends every person's events; resolves when all are acknowledged, rejects with a DemoError otherwise. */
export async function sendEvents(
  people: Iterable<{ events: readonly DemoMessage[] }>,
  options: SendOptions,
): Promise<SendResult> {
  const o = { ...DEFAULTS, ...options };
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const endpoint = `${o.url.replace(/\/+$/, '')}/v1/batch`;
  const auth = `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`;
  const result: SendResult = { sent: 0, rejected: 0, rejections: [], requests: 0, retries: 0 };
  const batches = batchesOf(people, o.batchSize, o.maxBatchBytes);

  async function post(items: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let delay = Math.min(30_000, o.retryBaseMs * 2 ** (attempt - 1));
      let problem: string;
      try {
        result.requests++;
        const body = `{"batch":[${items.join(',')}],"sentAt":"${new Date().toISOString()}"}`;
        const res = await doFetch(endpoint, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        const text = await res.text();
        if (res.status === 200) return acknowledge(items.length, text);
        if (res.status === 413 && items.length > 1) {
          const half = Math.ceil(items.length / 2);
          await post(items.slice(0, half));
          return post(items.slice(half));
        }
        if (res.status === 401)
          throw new DemoError('--write-key: the server does not know this write key (401)', 2);
        if (!retriable(res.status)) {
          throw new DemoError(
            `POST ${endpoint} answered ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`,
          );
        }
        problem = `HTTP ${res.status}`;
        delay = retryAfterMs(res.headers.get('retry-after')) ?? delay;
      } catch (err) {
        if (err instanceof DemoError) throw err;
        problem = describe(err);
      }
      if (attempt >= o.maxAttempts) {
        throw new DemoError(`POST ${endpoint} failed ${attempt} times (last: ${problem}); giving up`);
      }
      result.retries++;
      await sleep(Math.min(delay, 60_000));
    }
  }

  function acknowledge(count: number, text: string): void {
    result.sent += count;
    let rejected: { reason?: string }[] = [];
    try {
      const json = JSON.parse(text) as { rejected?: { reason?: string }[] };
      rejected = Array.isArray(json.rejected) ? json.rejected : [];
    } catch {
      /* a 200 without a JSON body still acknowledges the batch */
    }
    result.rejected += rejected.length;
    for (const r of rejected) if (result.rejections.length < 5) result.rejections.push(String(r.reason));
    options.onSent?.(count);
  }

  let failed = false;
  async function worker(): Promise<void> {
    try {
      for (let next = batches.next(); !failed && !next.done; next = batches.next())
        await post(next.value.items);
    } catch (err) {
      failed = true; // the other workers stop taking batches
      throw err;
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return result;
}

import { describe, expect, it } from 'vitest';
import { batchesOf, DemoError, retryAfterMs, sendEvents } from './send.ts';
import type { DemoMessage } from './timeline.ts';

function message(i: number, padding = 0): DemoMessage {
  return {
    type: 'track',
    messageId: `m-${i}`,
    timestamp: '2025-05-01T10:00:00.000Z',
    anonymousId: `a-${i}`,
    event: 'Scroll',
    properties: { pad: 'x'.repeat(padding) },
    context: {},
  };
}

function person(from: number, count: number, padding = 0) {
  return { events: Array.from({ length: count }, (_, i) => message(from + i, padding)) };
}

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script (then 200s) and records what was posted. */
function scriptedFetch(replies: Reply[]) {
  const posted: { url: string; auth: string; ids: string[]; sentAt: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const impl = async (url: string | URL | Request, init?: RequestInit) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    const body = JSON.parse(String(init?.body)) as { batch: DemoMessage[]; sentAt: string };
    posted.push({
      url: String(url),
      auth: String(((init?.headers ?? {}) as Record<string, string>).authorization),
      ids: body.batch.map((e) => e.messageId),
      sentAt: body.sentAt,
    });
    const reply = replies.shift() ?? { status: 200, body: '{"success":true}' };
    if (reply instanceof Error) throw reply;
    return new Response(reply.body ?? '{}', { status: reply.status, headers: reply.headers });
  };
  return { impl: impl as typeof fetch, posted, maxInFlight: () => maxInFlight };
}

const noSleep = async () => {};

describe('batchesOf', () => {
  it('cuts at 500 events and keeps a person together when they fit', () => {
    const people = [person(0, 300), person(300, 300), person(600, 1200)];
    const batches = [...batchesOf(people)].map((b) => b.items.map((s) => JSON.parse(s).messageId));
    expect(batches.map((b) => b.length)).toEqual([300, 300, 500, 500, 200]);
    expect(batches[1][0]).toBe('m-300');
    expect(batches.flat()).toEqual(Array.from({ length: 1800 }, (_, i) => `m-${i}`));
  });

  it('keeps each body under the byte limit', () => {
    const people = [person(0, 40, 2000), person(40, 40, 2000)];
    const batches = [...batchesOf(people, 500, 30_000)];
    for (const b of batches) {
      const body = `{"batch":[${b.items.join(',')}],"sentAt":"2025-05-01T10:00:00.000Z"}`;
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(30_000);
    }
    expect(batches.reduce((n, b) => n + b.items.length, 0)).toBe(80);
  });

  it('counts bytes, not characters (Cyrillic is two bytes)', () => {
    const cyrillic = { events: [{ ...message(0), properties: { q: 'я'.repeat(1000) } }] };
    const [batch] = [...batchesOf([cyrillic])];
    expect(batch.bytes).toBeGreaterThan(2000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs('Thu, 01 May 2025 10:00:10 GMT', Date.UTC(2025, 4, 1, 10, 0, 0))).toBe(10_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});

describe('sendEvents', () => {
  it('posts batches with Basic auth and sentAt, two in flight, and reports progress', async () => {
    const f = scriptedFetch([]);
    const progress: number[] = [];
    const result = await sendEvents([person(0, 1500)], {
      url: 'http://dp.test/',
      writeKey: 'ckey',
      fetch: f.impl,
      onSent: (n) => progress.push(n),
    });
    expect(result).toMatchObject({ sent: 1500, rejected: 0, requests: 3, retries: 0 });
    expect(f.posted.map((p) => p.url)).toEqual(Array(3).fill('http://dp.test/v1/batch'));
    expect(f.posted[0].auth).toBe(`Basic ${Buffer.from('ckey:').toString('base64')}`);
    expect(Number.isNaN(Date.parse(f.posted[0].sentAt))).toBe(false);
    expect(f.maxInFlight()).toBe(2);
    expect(progress).toEqual([500, 500, 500]);
  });

  it('retries 429 and 503 honouring Retry-After, and network errors with back-off', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const f = scriptedFetch([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': '1' } },
      refused,
    ]);
    const waits: number[] = [];
    const result = await sendEvents([person(0, 10)], {
      url: 'http://dp.test',
      writeKey: 'k',
      fetch: f.impl,
      retryBaseMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toEqual([2000, 1000, 400]);
    expect(result).toMatchObject({ sent: 10, requests: 4, retries: 3 });
    expect(new Set(f.posted.map((p) => p.ids.join()))).toEqual(new Set([f.posted[0].ids.join()])); // same batch each time
  });

  it('splits a batch the server finds too large', async () => {
    const f = scriptedFetch([{ status: 413, body: '{"error":{"code":"payload_too_large"}}' }]);
    const result = await sendEvents([person(0, 10)], { url: 'http://dp.test', writeKey: 'k', fetch: f.impl });
    expect(f.posted.map((p) => p.ids.length)).toEqual([10, 5, 5]);
    expect(result.sent).toBe(10);
  });

  it('counts the events the server rejected', async () => {
    const body = JSON.stringify({
      success: true,
      rejected: [{ index: 1, messageId: 'm-1', reason: '/batch/1/event: required' }],
    });
    const f = scriptedFetch([{ status: 200, body }]);
    const result = await sendEvents([person(0, 3)], { url: 'http://dp.test', writeKey: 'k', fetch: f.impl });
    expect(result).toMatchObject({ sent: 3, rejected: 1, rejections: ['/batch/1/event: required'] });
  });

  it('stops with a clear error on an unknown write key or a 400', async () => {
    const unauthorized = scriptedFetch([{ status: 401, body: '{}' }]);
    const err = await sendEvents([person(0, 3)], {
      url: 'http://dp.test',
      writeKey: 'k',
      fetch: unauthorized.impl,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DemoError);
    expect((err as DemoError).message).toMatch(/^--write-key: /);
    expect((err as DemoError).exitCode).toBe(2);

    const bad = scriptedFetch([{ status: 400, body: '{"error":{"message":"bad"}}' }]);
    await expect(
      sendEvents([person(0, 3)], { url: 'http://dp.test', writeKey: 'k', fetch: bad.impl }),
    ).rejects.toThrow(/answered 400: \{"error"/);
  });

  it('gives up after the last attempt', async () => {
    const f = scriptedFetch(Array.from({ length: 5 }, () => ({ status: 503 })));
    await expect(
      sendEvents([person(0, 3)], {
        url: 'http://dp.test',
        writeKey: 'k',
        fetch: f.impl,
        maxAttempts: 3,
        sleep: noSleep,
      }),
    ).rejects.toThrow(/failed 3 times \(last: HTTP 503\)/);
    expect(f.posted).toHaveLength(3);
  });
});

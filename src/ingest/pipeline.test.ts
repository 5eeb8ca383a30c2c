import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../core/tracking/index.ts';
import type { ClickHouse } from '../storage/index.ts';
import { MessageIdIndex } from './dedup.ts';
import { IngestPipeline } from './pipeline.ts';
import type { IngestItem } from './stage.ts';

const log = pino({ level: 'silent' });
const config = { maxBatchEvents: 1000, flushIntervalMs: 0, maxQueuedEvents: 100_000, rateLimitPerKey: 0 };

function event(messageId: string): TrackedEvent {
  const at = new Date('2026-11-01T00:00:00Z');
  return {
    messageId,
    type: 'track',
    event: 'X',
    userId: 'u1',
    anonymousId: null,
    properties: {},
    traits: {},
    context: {},
    timestamp: at,
    sentAt: null,
    receivedAt: at,
  };
}

/** A ClickHouse whose inserts stay open until the test settles them; lookups see what was stored. */
function fakeClickHouse() {
  const stored: string[] = [];
  const inserts: { ids: string[]; settle(ok: boolean): void }[] = [];
  const ch = {
    async insertJsonEachRow(_table: string, payload: Buffer) {
      const ids = payload
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).message_id as string);
      await new Promise<void>((resolve, reject) =>
        inserts.push({ ids, settle: (ok) => (ok ? resolve() : reject(new Error('insert failed'))) }),
      );
      stored.push(...ids);
    },
    async query(q: { params: { ids: string[] } }) {
      return q.params.ids.filter((id) => stored.includes(id)).map((message_id) => ({ message_id }));
    },
  } as unknown as ClickHouse;
  return { ch, stored, inserts };
}

function setup() {
  const { ch, stored, inserts } = fakeClickHouse();
  const resolved: string[][] = [];
  const identity = {
    async resolve(items: readonly IngestItem[]) {
      resolved.push(items.map((i) => i.event.messageId));
      return items.map(() => 'prf_1');
    },
  };
  const pipeline = new IngestPipeline(ch, new MessageIdIndex(ch, null, log), identity, config, log);
  const submit = (...ids: string[]) => pipeline.submit('ws', 'src', ids.map(event));
  const tick = () => new Promise((r) => setTimeout(r, 5));
  return { pipeline, submit, stored, inserts, resolved, tick };
}

describe('ingest pipeline with concurrent flushes', () => {
  it('resolves and inserts the next flush while the previous one inserts', async () => {
    const { submit, inserts, resolved, stored, tick } = setup();
    const first = submit('a', 'b');
    await tick();
    expect(inserts).toHaveLength(1);
    const second = submit('c');
    await tick();
    const third = submit('d');
    await tick();
    expect(resolved).toEqual([['a', 'b'], ['c']]); // two flushes at most
    expect(inserts).toHaveLength(2); // two inserts open at once
    inserts[1].settle(true);
    expect(await second).toEqual({ stored: 1, duplicates: 0 }); // answered when its own insert ends
    await tick();
    expect(resolved).toEqual([['a', 'b'], ['c'], ['d']]); // the queue is picked up
    inserts[0].settle(true);
    inserts[2].settle(true);
    expect(await first).toEqual({ stored: 2, duplicates: 0 });
    expect(await third).toEqual({ stored: 1, duplicates: 0 });
    expect(stored.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('counts an id stored by the flush in flight as a duplicate, never a second row', async () => {
    const { submit, inserts, stored, tick } = setup();
    const first = submit('a', 'b');
    await tick();
    const replay = submit('b', 'c');
    await tick();
    inserts[0].settle(true);
    await first;
    await tick();
    inserts[1].settle(true);
    expect(await replay).toEqual({ stored: 1, duplicates: 1 });
    expect(stored).toEqual(['a', 'b', 'c']);
  });

  it('waits for the flush holding a replayed id even when others are in between', async () => {
    const { submit, inserts, stored, tick } = setup();
    const first = submit('a');
    await tick();
    const other = submit('b');
    await tick();
    inserts[1].settle(true);
    await other;
    await tick();
    const replay = submit('a', 'c');
    await tick();
    expect(inserts).toHaveLength(2); // the replay waits for the first flush
    inserts[0].settle(true);
    await first;
    await tick();
    inserts[2].settle(true);
    expect(await replay).toEqual({ stored: 1, duplicates: 1 });
    expect(stored.sort()).toEqual(['a', 'b', 'c']);
  });

  it('writes the replay itself when the flush in flight fails: nothing acknowledged is lost', async () => {
    const { submit, inserts, stored, tick } = setup();
    const first = submit('a', 'b');
    await tick();
    const replay = submit('b');
    await tick();
    inserts[0].settle(false);
    await expect(first).rejects.toThrow(/could not be stored/);
    await tick();
    inserts[1].settle(true);
    expect(await replay).toEqual({ stored: 1, duplicates: 0 });
    expect(stored).toEqual(['b']);
  });

  it('close() waits for every flush and everything queued', async () => {
    const { pipeline, submit, inserts, stored, tick } = setup();
    const all = [submit('a'), submit('b'), submit('c')];
    const closing = pipeline.close();
    for (let i = 0; i < 20 && stored.length < 3; i++) {
      await tick();
      for (const ins of inserts.splice(0)) ins.settle(true);
    }
    await closing;
    expect((await Promise.all(all)).map((r) => r.stored)).toEqual([1, 1, 1]);
    expect(stored.sort()).toEqual(['a', 'b', 'c']);
  });
});

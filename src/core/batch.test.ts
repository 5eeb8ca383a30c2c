import { describe, expect, it } from 'vitest';
import { batchLoader } from './batch.ts';

function recording(delayMs = 5) {
  const calls: string[][] = [];
  let store = new Map([
    ['a', 1],
    ['b', 2],
  ]);
  const loader = batchLoader<string, number>(async (keys) => {
    calls.push(keys);
    const snapshot = store;
    await new Promise((r) => setTimeout(r, delayMs));
    return new Map(keys.flatMap((k) => (snapshot.has(k) ? [[k, snapshot.get(k)!] as const] : [])));
  }, 3);
  return { loader, calls, write: (k: string, v: number) => (store = new Map([...store, [k, v]])) };
}

describe('batchLoader', () => {
  it('answers concurrent loads with one batched call, duplicates included', async () => {
    const { loader, calls } = recording();
    const got = await Promise.all(['a', 'b', 'a', 'zz'].map((k) => loader.load(k)));
    expect(got).toEqual([1, 2, 1, undefined]);
    expect(calls).toEqual([['a', 'b', 'zz']]);
  });

  it('splits batches at the limit', async () => {
    const { loader, calls } = recording();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k)));
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('never lets a load join a batch that started before it: later reads see later writes', async () => {
    const { loader, calls, write } = recording(20);
    const first = loader.load('a');
    await new Promise((r) => setTimeout(r, 5)); // the first batch is running now
    write('a', 10);
    const second = loader.load('a');
    expect(await first).toBe(1);
    expect(await second).toBe(10);
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('rejects every waiter of a failed batch and keeps serving', async () => {
    let fail = true;
    const loader = batchLoader<string, string>(async (keys) => {
      if (fail) throw new Error('store down');
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    });
    const results = await Promise.allSettled([loader.load('x'), loader.load('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('x')).toBe('X');
  });
});

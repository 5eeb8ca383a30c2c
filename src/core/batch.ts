/**
 * Coalesces concurrent single-key loads into batched calls, one batch in flight at a time.
 *
 * Built for stores where every query pays a fixed cost and queries queue anyway (embedded
 * PGlite has one connection): 32 concurrent reads become one `id = any($1)` query instead of 32
 * queued ones. A key asked while a batch runs waits for the NEXT batch, never joins the running
 * one, so a read that starts after a write was acknowledged always sees it.
 */
export interface BatchLoader<K, V> {
  load(key: K): Promise<V | undefined>;
}

interface Waiter<V> {
  resolve(v: V | undefined): void;
  reject(err: unknown): void;
}

export function batchLoader<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
  maxBatch = 256,
): BatchLoader<K, V> {
  const queue = new Map<K, Waiter<V>[]>();
  let running = false;

  async function dispatch(): Promise<void> {
    running = true;
    while (queue.size > 0) {
      const batch = new Map<K, Waiter<V>[]>();
      for (const [k, ws] of queue) {
        if (batch.size >= maxBatch) break;
        batch.set(k, ws);
      }
      for (const k of batch.keys()) queue.delete(k);
      try {
        const found = await loadMany([...batch.keys()]);
        for (const [k, ws] of batch) for (const w of ws) w.resolve(found.get(k));
      } catch (err) {
        for (const ws of batch.values()) for (const w of ws) w.reject(err);
      }
    }
    running = false;
  }

  return {
    load(key) {
      return new Promise<V | undefined>((resolve, reject) => {
        const waiting = queue.get(key);
        if (waiting) waiting.push({ resolve, reject });
        else queue.set(key, [{ resolve, reject }]);
        // Start after the event loop's I/O phase, so every request read in this turn joins the
        // batch (an embedded store runs its queries synchronously: nothing arrives meanwhile).
        if (!running) {
          running = true;
          setImmediate(() => void dispatch());
        }
      });
    },
  };
}

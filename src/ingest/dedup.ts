import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { type ClickHouse, chTime } from '../storage/index.ts';
import { ScalableBloom } from './bloom.ts';

const key = (workspaceId: string, messageId: string) => `${workspaceId}\u0000${messageId}`;
/** Re-read ids received this long before the snapshot's watermark (covers anything queued then). */
const RELOAD_MARGIN_MS = 10 * 60_000;
const LOOKUP_CHUNK = 1000;

/**
 * Which (workspace, messageId) pairs are already stored. A Bloom filter answers "certainly new"
 * for almost every id without I/O; the few it cannot rule out (replays, ~1% false positives) are
 * checked exactly in ClickHouse through the events table's by_message_id projection. The filter
 * is snapshotted to disk with a watermark and topped up from ClickHouse at start, so a replay
 * is caught at once, after a restart, or days later.
 */
export class MessageIdIndex {
  private bloom = new ScalableBloom(1_000_000);
  /** Ids that needed an exact ClickHouse lookup (replays and Bloom false positives). */
  readonly stats = { checked: 0, lookedUp: 0, found: 0 };

  constructor(
    private readonly ch: ClickHouse,
    private readonly snapshotFile: string | null,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.bloom.size;
  }

  /** Loads the snapshot (if any) and adds every id stored since its watermark. */
  async load(): Promise<void> {
    let since: Date | null = null;
    if (this.snapshotFile && existsSync(this.snapshotFile)) {
      const snap = ScalableBloom.deserialize(readFileSync(this.snapshotFile));
      if (snap && typeof snap.meta.watermark === 'number') {
        this.bloom = snap.bloom;
        since = new Date(snap.meta.watermark - RELOAD_MARGIN_MS);
      } else {
        this.log.warn('message-id snapshot unreadable; rebuilding from ClickHouse');
      }
    }
    const started = Date.now();
    const lines = this.ch.streamLines(
      {
        query: `SELECT workspace_id, message_id FROM events ${since ? 'WHERE received_at >= {since:DateTime64(3)}' : ''}`,
        params: since ? { since: chTime(since) } : {},
      },
      'TabSeparated',
      'dedup-load',
    );
    let added = 0;
    for await (const line of lines) {
      const tab = line.indexOf('\t');
      if (tab > 0) {
        this.bloom.add(key(unescapeTsv(line.slice(0, tab)), unescapeTsv(line.slice(tab + 1))));
        added++;
      }
    }
    this.log.info(
      { added, total: this.bloom.size, ms: Date.now() - started, fromSnapshot: since !== null },
      'message-id index loaded',
    );
  }

  /** The ids among `messageIds` that are already stored for the workspace. */
  async existing(workspaceId: string, messageIds: readonly string[]): Promise<Set<string>> {
    const maybe = messageIds.filter((id) => this.bloom.has(key(workspaceId, id)));
    this.stats.checked += messageIds.length;
    this.stats.lookedUp += maybe.length;
    const found = new Set<string>();
    for (let i = 0; i < maybe.length; i += LOOKUP_CHUNK) {
      const rows = await this.ch.query<{ message_id: string }>(
        {
          // Erased events count as stored: a replay must not bring them back.
          query:
            'SELECT message_id FROM events WHERE workspace_id = {w:String} AND message_id IN {ids:Array(String)} UNION ALL SELECT message_id FROM erased_messages WHERE workspace_id = {w:String} AND message_id IN {ids:Array(String)}',
          params: { w: workspaceId, ids: maybe.slice(i, i + LOOKUP_CHUNK) },
        },
        'dedup-lookup',
      );
      for (const r of rows) found.add(r.message_id);
      this.stats.found += rows.length;
    }
    return found;
  }

  /** Records ids that were just stored. */
  add(workspaceId: string, messageIds: Iterable<string>): void {
    for (const id of messageIds) this.bloom.add(key(workspaceId, id));
  }

  /**
   * Writes the snapshot atomically. `watermark` must be no later than the receive time of any
   * event not yet added (the oldest queued one), so a restart re-reads everything after it.
   */
  save(watermark: number): void {
    if (!this.snapshotFile) return;
    const tmp = `${this.snapshotFile}.tmp`;
    writeFileSync(tmp, this.bloom.serialize({ watermark }));
    renameSync(tmp, this.snapshotFile);
  }
}

function unescapeTsv(s: string): string {
  return s.includes('\\')
    ? s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c)
    : s;
}

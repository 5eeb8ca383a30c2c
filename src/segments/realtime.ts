/**
 * Real-time entry: after each ingestion flush, the profiles it touched are re-evaluated against
 * every dynamic segment whose rule is incremental (rule-analysis.ts) and that one of their new
 * events can affect. Touches are gathered for `debounceMs`, then evaluated in ClickHouse over
 * those profiles' rows only. Time alone (a window sliding past an event) is left to the
 * scheduled recompute.
 */
import type { Logger } from 'pino';
import type { Rule } from '../core/segments/rule-schema.ts';
import type { IngestItem } from '../ingest/index.ts';
import type { ClickHouse } from '../storage/index.ts';
import { mergedIntoSql } from './evaluation-sql.ts';
import type { SegmentEvaluator } from './evaluator.ts';
import { eventMatters, type RuleDependencies, ruleDependencies } from './rule-analysis.ts';

/** Profiles per evaluation query (the ids travel as one Array parameter). */
const CHUNK = 1000;
/** Beyond this many touched profiles (a bulk import), one full recompute is cheaper. */
const MAX_PROFILES = 20_000;

/** `type` + NUL + `event` of each call seen for a profile. */
type Touches = Map<string, Set<string>>;

export interface RealtimeOptions {
  debounceMs?: number;
  /** Touched profiles of one segment above which a full recompute is enqueued instead. */
  maxProfiles?: number;
}

export function realtimeEntry(
  deps: {
    ch: ClickHouse;
    evaluator: SegmentEvaluator;
    /** Enqueues a full recompute of a segment (too many profiles touched at once). */
    recomputeAll: (workspaceId: string, segmentId: string) => Promise<void>;
    log: Logger;
  },
  opts: RealtimeOptions = {},
) {
  const { ch, evaluator, log } = deps;
  const debounceMs = opts.debounceMs ?? 200;
  const maxProfiles = opts.maxProfiles ?? MAX_PROFILES;
  const pending = new Map<string, Touches>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const stats = { cycles: 0, evaluations: 0, entered: 0, exited: 0, errors: 0, lastCycleMs: 0 };

  function touch(workspaceId: string, profileId: string, type: string, event: string): void {
    const ws = pending.get(workspaceId) ?? new Map<string, Set<string>>();
    pending.set(workspaceId, ws);
    const calls = ws.get(profileId) ?? new Set<string>();
    ws.set(profileId, calls);
    calls.add(`${type}\u0000${event}`);
  }

  function schedule(): void {
    if (closed || timer || running) return;
    timer = setTimeout(() => {
      timer = null;
      running = cycle().finally(() => {
        running = null;
        if (pending.size > 0) schedule();
      });
    }, debounceMs);
  }

  /**
   * Groups of ids for one evaluation query each: a profile travels with the ids merged into it
   * (their events are its events), and a group is never split across queries.
   */
  function chunks(profileIds: string[], merged: Map<string, string[]>): string[][] {
    const out: string[][] = [];
    let current: string[] = [];
    for (const id of profileIds) {
      const group = [id, ...(merged.get(id) ?? [])];
      if (current.length > 0 && current.length + group.length > CHUNK) {
        out.push(current);
        current = [];
      }
      current.push(...group);
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /** Survivor → ids merged into it, for the touched profiles. */
  async function mergedInto(workspaceId: string, ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await ch.query<{ profile_id: string; survivor: string }>(
        mergedIntoSql(workspaceId, ids.slice(i, i + CHUNK)),
        'segments-realtime-aliases',
      );
      for (const r of rows) out.set(r.survivor, [...(out.get(r.survivor) ?? []), r.profile_id]);
    }
    return out;
  }

  async function runWorkspace(workspaceId: string, touched: Touches): Promise<void> {
    const rules = await evaluator.rulesOf(workspaceId);
    let merged: Map<string, string[]> | null = null;
    for (const [segmentId, stored] of rules) {
      const rule = stored as Rule;
      let dependsOn: RuleDependencies;
      try {
        dependsOn = ruleDependencies(rule, (id) => rules.get(id) as Rule | undefined);
      } catch {
        continue; // a stored rule that no longer parses: its recompute reports the error
      }
      if (!dependsOn.incremental) continue;
      const affected = [...touched]
        .filter(([, calls]) =>
          [...calls].some((call) => {
            const [type, event] = call.split('\u0000');
            return eventMatters(dependsOn, type, event);
          }),
        )
        .map(([profileId]) => profileId);
      if (affected.length === 0) continue;
      if (affected.length > maxProfiles) {
        await deps.recomputeAll(workspaceId, segmentId).catch((err) => {
          stats.errors++;
          log.warn({ err, segment: segmentId }, 'could not enqueue a recompute for a bulk of events');
        });
        continue;
      }
      merged ??= await mergedInto(workspaceId, [...touched.keys()]);
      for (const ids of chunks(affected, merged)) {
        try {
          const d = await evaluator.evaluateProfiles(workspaceId, segmentId, rule, rules, ids);
          stats.evaluations++;
          stats.entered += d.entered;
          stats.exited += d.exited;
        } catch (err) {
          stats.errors++;
          log.warn({ err, segment: segmentId }, 'real-time segment evaluation failed');
          break;
        }
      }
    }
  }

  async function cycle(): Promise<void> {
    const t0 = performance.now();
    const batch = [...pending];
    pending.clear();
    for (const [workspaceId, touched] of batch) {
      try {
        await runWorkspace(workspaceId, touched);
      } catch (err) {
        stats.errors++;
        log.warn({ err, workspace: workspaceId }, 'real-time segment entry failed');
      }
    }
    stats.cycles++;
    stats.lastCycleMs = Math.round(performance.now() - t0);
  }

  return {
    stats,
    /** The ingestion listener (`pipeline.onStored`). */
    onStored(items: readonly IngestItem[], profileIds: readonly string[]): void {
      if (closed) return;
      items.forEach((item, i) => {
        const profileId = profileIds[i];
        if (profileId) touch(item.workspaceId, profileId, item.event.type, item.event.event);
      });
      if (pending.size > 0) schedule();
    },
    /** Resolves once everything touched so far has been evaluated. */
    async idle(): Promise<void> {
      while (timer || running || pending.size > 0) {
        if (running) await running;
        else if (timer) await new Promise((r) => setTimeout(r, debounceMs));
        else schedule();
      }
    },
    async close(): Promise<void> {
      await this.idle();
      closed = true;
    },
  };
}

export type RealtimeEntry = ReturnType<typeof realtimeEntry>;

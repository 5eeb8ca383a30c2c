/**
 * The brute-force side of the report tests: the definitions of specs/reports.md applied to a
 * dataset in plain TypeScript, written independently of the SQL builders. This file holds what
 * every report shares: current profiles, filters, breakdown groups, local dates.
 */
import type { Alias, Dataset, Ev, Member, Profile } from './dataset.ts';
import { holds, instant, type RefFilter, text, valueAt } from './reference-values.ts';

export * from './reference-values.ts';

export interface RefCommon {
  from: string;
  to: string;
  timezone?: string;
  segmentId?: string;
  filters?: RefFilter[];
  breakdown?:
    | { property: string; limit?: number }
    | { trait: string; limit?: number }
    | { segment: string[] };
}

/** An event with its current profile. */
export interface REv extends Ev {
  pid: string;
}

function latest<T extends { version: number }>(rows: T[], key: (r: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const cur = out.get(k);
    if (!cur || r.version > cur.version) out.set(k, r);
  }
  return out;
}

export function survivors(aliases: Alias[], ws: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, a] of latest(
    aliases.filter((a) => a.ws === ws),
    (a) => a.profileId,
  )) {
    if (a.survivorId !== '') out.set(id, a.survivorId);
  }
  return out;
}

export function liveProfiles(profiles: Profile[], ws: string): Profile[] {
  return [
    ...latest(
      profiles.filter((p) => p.ws === ws),
      (p) => p.profileId,
    ).values(),
  ].filter((p) => p.deleted === 0);
}

export function segmentMembers(members: Member[], ws: string, segmentId: string): Set<string> {
  const rows = latest(
    members.filter((m) => m.ws === ws && m.segmentId === segmentId),
    (m) => m.profileId,
  );
  return new Set([...rows.values()].filter((m) => m.isMember === 1).map((m) => m.profileId));
}

export interface Scoped {
  ws: string;
  from: number;
  to: number;
  tz: string;
  /** Every event of the workspace that passes the filters and whose profile is in scope, sorted by time. */
  events: REv[];
  /** The breakdown groups of a profile: null without a breakdown. */
  groupsOf: ((pid: string) => string[]) | null;
  /** Group keys in result order, or null to order the groups that occur by value. */
  groupOrder: string[] | null;
}

/** Key of profiles without a value in a property/trait breakdown. */
export const NONE = '\u0000none';

function topValues(values: Map<string, string>, limit: number): Set<string> {
  const counts = new Map<string, number>();
  for (const v of values.values()) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort(
    (a, b) => b[1] - a[1] || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])),
  );
  return new Set(sorted.slice(0, limit).map(([v]) => v));
}

export function scope(ds: Dataset, ws: string, spec: RefCommon): Scoped {
  const from = instant(spec.from);
  const to = instant(spec.to);
  const tz = spec.timezone ?? 'UTC';
  const alias = survivors(ds.aliases, ws);
  const live = liveProfiles(ds.profiles, ws);
  const filters = spec.filters ?? [];
  const traitFilters = filters.filter((f) => f.trait !== undefined);
  const traitOk = new Set(
    live
      .filter((p) => traitFilters.every((f) => holds(valueAt(p.traits, f.trait!), f)))
      .map((p) => p.profileId),
  );
  const segment = spec.segmentId !== undefined ? segmentMembers(ds.members, ws, spec.segmentId) : null;
  const events = ds.events
    .filter((e) => e.ws === ws)
    .map((e) => ({ ...e, pid: alias.get(e.profileId) ?? e.profileId }))
    .filter((e) =>
      filters.every((f) => f.property === undefined || holds(valueAt(e.properties, f.property), f)),
    )
    .filter((e) => (traitFilters.length === 0 || traitOk.has(e.pid)) && (!segment || segment.has(e.pid)))
    .sort((a, b) => a.ts - b.ts);

  const b = spec.breakdown;
  let groupsOf: Scoped['groupsOf'] = null;
  let groupOrder: string[] | null = null;
  if (b && 'segment' in b) {
    const sets = b.segment.map((id) => [id, segmentMembers(ds.members, ws, id)] as const);
    groupsOf = (pid) => sets.filter(([, s]) => s.has(pid)).map(([id]) => id);
    groupOrder = [...b.segment];
  } else if (b) {
    const values = new Map<string, string>();
    if ('property' in b) {
      const firsts = new Map<string, { ts: number; v: string }>();
      for (const e of events) {
        if (e.ts < from || e.ts >= to) continue;
        const v = text(valueAt(e.properties, b.property));
        if (v === null) continue;
        const cur = firsts.get(e.pid);
        if (
          !cur ||
          e.ts < cur.ts ||
          (e.ts === cur.ts && Buffer.compare(Buffer.from(v), Buffer.from(cur.v)) < 0)
        )
          firsts.set(e.pid, { ts: e.ts, v });
      }
      for (const [pid, { v }] of firsts) values.set(pid, v);
    } else {
      for (const p of live) {
        const v = text(valueAt(p.traits, b.trait));
        if (v !== null) values.set(p.profileId, v);
      }
    }
    const top = topValues(values, b.limit ?? 20);
    groupsOf = (pid) => {
      const v = values.get(pid);
      if (v === undefined) return [NONE];
      return top.has(v) ? [v] : [];
    };
  }
  return { ws, from, to, tz, events, groupsOf, groupOrder };
}

/** Events of the scope in [lo, hi) grouped by profile, each list in time order. */
export function byProfile(events: REv[], lo = Number.NEGATIVE_INFINITY, hi = Number.POSITIVE_INFINITY) {
  const out = new Map<string, REv[]>();
  for (const e of events) {
    if (e.ts < lo || e.ts >= hi) continue;
    const list = out.get(e.pid) ?? [];
    list.push(e);
    out.set(e.pid, list);
  }
  return out;
}

/**
 * The result object: `fields` of all reporting profiles, and with a breakdown the same per group
 * (groups that have a reporting profile, or the segment ids as given), ordered like the service.
 */
export function withBreakdown<F extends object>(
  s: Scoped,
  reporting: Iterable<string>,
  fields: (pids: Set<string>) => F,
): F & { breakdown?: (F & { value: string | null })[] } {
  const all = new Set(reporting);
  const total = fields(all);
  if (!s.groupsOf) return total;
  const groups = new Map<string, Set<string>>();
  for (const pid of all) {
    for (const g of s.groupsOf(pid)) {
      const set = groups.get(g) ?? new Set<string>();
      set.add(pid);
      groups.set(g, set);
    }
  }
  let keys: string[];
  if (s.groupOrder) keys = s.groupOrder;
  else {
    keys = [...groups.keys()].sort((a, b) => {
      if (a === NONE || b === NONE) return a === b ? 0 : a === NONE ? 1 : -1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }
  const breakdown = keys.map((k) => ({
    value: k === NONE ? null : k,
    ...fields(groups.get(k) ?? new Set()),
  }));
  return { ...total, breakdown };
}

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

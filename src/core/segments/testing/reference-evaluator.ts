/**
 * A small, slow, obviously-correct evaluator of rules over in-memory rows. Property tests check
 * that the compiled SQL, run by ClickHouse, returns exactly these members.
 */
import type { RuleContext } from '../compile-rule.ts';
import {
  REACHABILITY,
  REFUSING_VALUES,
  SET_VALUES,
  TELEGRAM_TRAIT,
  UNSUBSCRIBED_TRAIT,
} from '../conditions/reachable.ts';
import { DAY_MS, parseIsoTime } from '../iso-time.ts';
import { RFM_CELLS } from '../rfm-cells.ts';
import { DEFAULT_PURCHASE_EVENT, DEFAULT_REVENUE_PROPERTY } from '../rule-constants.ts';
import type {
  AggregateCondition,
  BuiltinCondition,
  PropertyFilter,
  Rule,
  SequenceCondition,
  TimeWindow,
  TraitCondition,
} from '../rule-schema.ts';
import { isBuiltinTrait } from '../rule-schema.ts';
import { kindOf, lookup, numberHoldsRef, timeHolds, valueHolds } from './reference-predicates.ts';
import type { Dataset, ProfileRow } from './rows.ts';

interface MappedEvent {
  pid: string;
  event: string;
  timestamp: number;
  properties: Record<string, unknown>;
}

interface World {
  now: number;
  profiles: Map<string, ProfileRow>;
  events: MappedEvent[];
  ctx: RuleContext;
  rfm?: Map<string, { r: number; f: number; m: number }>;
}

function latest<T extends { version: number }>(rows: T[], key: (r: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const cur = out.get(k);
    if (!cur || r.version >= cur.version) out.set(k, r);
  }
  return out;
}

function worldOf(data: Dataset, ctx: RuleContext): World {
  const ws = ctx.workspaceId;
  const aliases = latest(
    data.aliases.filter((a) => a.workspace_id === ws),
    (a) => a.profile_id,
  );
  const survivor = (id: string) => aliases.get(id)?.survivor_id || id;
  const profiles = new Map<string, ProfileRow>();
  for (const [id, p] of latest(
    data.profiles.filter((p) => p.workspace_id === ws),
    (p) => p.profile_id,
  )) {
    if (!p.deleted && survivor(id) === id) profiles.set(id, p);
  }
  const events = data.events
    .filter((e) => e.workspace_id === ws)
    .map((e) => ({
      pid: survivor(e.profile_id),
      event: e.event,
      timestamp: e.timestamp,
      properties: e.properties,
    }));
  return { now: ctx.now.getTime(), profiles, events, ctx };
}

function inWindow(t: number, within: TimeWindow | undefined, now: number): boolean {
  if (!within) return true;
  if ('from' in within) return t >= parseIsoTime(within.from)! && t <= parseIsoTime(within.to)!;
  const span = 'days' in within ? within.days * DAY_MS : within.hours * 3_600_000;
  return t >= now - span && t <= now;
}

function filtersHold(e: MappedEvent, where: PropertyFilter[] | undefined, now: number): boolean {
  return (where ?? []).every((f) => valueHolds(lookup(e.properties, f.property), f, now));
}

function matching(
  w: World,
  pid: string,
  event: string | null,
  within?: TimeWindow,
  where?: PropertyFilter[],
) {
  return w.events.filter(
    (e) =>
      e.pid === pid &&
      (event === null || e.event === event) &&
      inWindow(e.timestamp, within, w.now) &&
      filtersHold(e, where, w.now),
  );
}

function aggregateHolds(w: World, pid: string, node: AggregateCondition): boolean {
  const events = matching(w, pid, node.event, node.within, node.where);
  const { fn, property } = node.aggregate;
  const values = property === undefined ? [] : events.map((e) => lookup(e.properties, property));
  const numbers = values.filter((v): v is number => typeof v === 'number');
  let x: number | undefined;
  if (fn === 'count')
    x = property === undefined ? events.length : values.filter((v) => kindOf(v) !== 'Null').length;
  else if (fn === 'count_distinct') {
    const keys = values
      .filter((v) => kindOf(v) !== 'Null')
      .map((v) => (typeof v === 'number' ? `n:${v}` : typeof v === 'string' ? `s:${v}` : JSON.stringify(v)));
    x = new Set(keys).size;
  } else if (fn === 'sum') x = numbers.reduce((a, b) => a + b, 0);
  else if (numbers.length > 0) {
    x = fn === 'avg' ? numbers.reduce((a, b) => a + b, 0) / numbers.length : Math[fn](...numbers);
  }
  return x !== undefined && numberHoldsRef(node, x);
}

function sequenceHolds(w: World, pid: string, node: SequenceCondition): boolean {
  const events = matching(w, pid, null, node.within).sort((a, b) => a.timestamp - b.timestamp);
  let last = Number.NEGATIVE_INFINITY;
  for (const step of node.sequence) {
    const next = events.find(
      (e) =>
        e.timestamp > last &&
        (step.event === null || e.event === step.event) &&
        filtersHold(e, step.where, w.now),
    );
    if (!next) return false;
    last = next.timestamp;
  }
  return true;
}

function rfmScores(w: World): Map<string, { r: number; f: number; m: number }> {
  const purchase = w.ctx.rfm?.purchaseEvent ?? DEFAULT_PURCHASE_EVENT;
  const revenue = w.ctx.rfm?.revenueProperty ?? DEFAULT_REVENUE_PROPERTY;
  const buyers = [...w.profiles.keys()].flatMap((pid) => {
    const buys = w.events.filter((e) => e.pid === pid && e.event === purchase && e.timestamp <= w.now);
    if (buys.length === 0) return [];
    const last = Math.max(...buys.map((e) => e.timestamp));
    const money = buys
      .map((e) => lookup(e.properties, revenue))
      .filter((v): v is number => typeof v === 'number');
    return [
      {
        pid,
        recency: Math.trunc((w.now - last) / DAY_MS),
        frequency: buys.length,
        monetary: money.reduce((a, b) => a + b, 0),
      },
    ];
  });
  const n = buyers.length;
  const score = (better: number) => 1 + Math.floor((5 * better) / n);
  return new Map(
    buyers.map((b) => [
      b.pid,
      {
        r: score(buyers.filter((o) => o.recency > b.recency).length),
        f: score(buyers.filter((o) => o.frequency < b.frequency).length),
        m: score(buyers.filter((o) => o.monetary < b.monetary).length),
      },
    ]),
  );
}

function identifierStrings(p: ProfileRow, key: string): string[] {
  const v = p.identifiers[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function traitIsOneOf(
  v: unknown,
  bool: boolean,
  numberMatches: (n: number) => boolean,
  words: string[],
): boolean {
  if (typeof v === 'boolean') return v === bool;
  if (typeof v === 'number') return numberMatches(v);
  return typeof v === 'string' && words.includes(v.toLowerCase());
}

function reachableHolds(p: ProfileRow, channel: keyof typeof REACHABILITY): boolean {
  const { identifier, pattern, consentTrait } = REACHABILITY[channel];
  const re = new RegExp(pattern);
  let address = identifierStrings(p, identifier).some((x) => re.test(x));
  if (channel === 'telegram') {
    const id = p.traits[TELEGRAM_TRAIT];
    address ||= (typeof id === 'string' && id !== '') || typeof id === 'number';
  }
  const refuses = traitIsOneOf(p.traits[consentTrait], false, (n) => n === 0, REFUSING_VALUES);
  const unsubscribed =
    channel === 'email' && traitIsOneOf(p.traits[UNSUBSCRIBED_TRAIT], true, (n) => n !== 0, SET_VALUES);
  return address && !refuses && !unsubscribed;
}

function builtinHolds(w: World, p: ProfileRow, node: BuiltinCondition): boolean {
  switch (node.trait) {
    case '$firstSeen':
      return timeHolds(p.first_seen, node, w.now);
    case '$lastSeen':
      return timeHolds(p.last_seen, node, w.now);
    case '$eventCount':
      return numberHoldsRef(node, matching(w, p.profile_id, null).length);
    case '$identifiers': {
      const types = p.identifier_types;
      if (node.op === 'exists') return types.length > 0;
      if (node.op === 'not_exists') return types.length === 0;
      const value = (node as { value: string | string[] }).value;
      const wanted = Array.isArray(value) ? value : [value];
      const has = wanted.some((t) => types.includes(t));
      return node.op === 'contains' || node.op === 'in' ? has : !has;
    }
  }
}

function holds(w: World, p: ProfileRow, rule: Rule, chain: string[]): boolean {
  if ('and' in rule) return rule.and.every((r) => holds(w, p, r, chain));
  if ('or' in rule) return rule.or.some((r) => holds(w, p, r, chain));
  if ('not' in rule) return !holds(w, p, rule.not, chain);
  if ('trait' in rule) {
    if (isBuiltinTrait(rule.trait)) return builtinHolds(w, p, rule as BuiltinCondition);
    return valueHolds(lookup(p.traits, rule.trait), rule as TraitCondition, w.now);
  }
  if ('aggregate' in rule) return aggregateHolds(w, p.profile_id, rule);
  if ('event' in rule) {
    const n = matching(w, p.profile_id, rule.event, rule.within, rule.where).length;
    return numberHoldsRef(rule.count ?? { op: 'gte', value: 1 }, n);
  }
  if ('sequence' in rule) return sequenceHolds(w, p.profile_id, rule);
  if ('rfm' in rule) {
    w.rfm ??= rfmScores(w);
    const s = w.rfm.get(p.profile_id);
    if (!s) return false;
    const ranges = typeof rule.rfm === 'string' ? RFM_CELLS[rule.rfm] : rule.rfm;
    return (['r', 'f', 'm'] as const).every((k) => {
      const range = (ranges as Record<string, readonly number[] | undefined>)[k];
      return !range || (s[k] >= range[0] && s[k] <= range[1]);
    });
  }
  if ('segment' in rule) {
    if (chain.includes(rule.segment)) throw new Error(`cycle at ${rule.segment}`);
    const target = w.ctx.resolveSegment?.(rule.segment);
    if (!target) throw new Error(`segment ${rule.segment} not found`);
    return holds(w, p, target, [...chain, rule.segment]);
  }
  return reachableHolds(p, rule.reachable);
}

/** Profile ids of the members of `rule` over `data`, as of `ctx.now`. */
export function evaluateRule(rule: Rule, data: Dataset, ctx: RuleContext): Set<string> {
  const w = worldOf(data, ctx);
  const chain = ctx.segmentId ? [ctx.segmentId] : [];
  return new Set([...w.profiles.values()].filter((p) => holds(w, p, rule, chain)).map((p) => p.profile_id));
}

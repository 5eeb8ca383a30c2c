import { invalid } from '../errors.ts';
import { defaultIdentitySettings, type IdentitySettings } from './settings.ts';

/**
 * Profile traits with provenance. Each top-level key keeps one value with its source and event
 * time; nested objects are whole values (no deep merge).
 *
 * Which of two values wins (`beats`), in order:
 * 1. A regular write beats a set-once write. (If the set-once came later it was a no-op; if it
 *    came earlier the regular write overwrote it.)
 * 2. Two set-once writes: the earlier event time wins.
 * 3. Two regular writes: with `source_priority` the better-ranked source wins (unlisted sources
 *    rank last); then the later event time wins, so a late-arriving event never overwrites a
 *    newer value.
 * 4. Still equal: the greater source name, then the greater canonical JSON of the value.
 * This is a total order, so folding any set of updates in any order yields the same state.
 */
export interface TraitValue {
  value: unknown;
  source: string;
  /** Event time, ISO-8601 UTC. */
  time: string;
  /** Written by a set-once update (PostHog `$set_once` or a set-once trait name). */
  once?: true;
}

export type TraitState = Readonly<Record<string, TraitValue>>;

export interface TraitUpdate {
  traits?: Readonly<Record<string, unknown>>;
  /** Traits to set only once, like PostHog's `$set_once`. */
  setOnce?: Readonly<Record<string, unknown>>;
  source: string;
  time: string | number | Date;
}

type TraitSettings = Pick<IdentitySettings, 'traitConflict' | 'setOnceTraits'>;

function toIso(time: string | number | Date): string {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw invalid('/time', 'must be a valid timestamp');
  return new Date(ms).toISOString();
}

/** JSON with object keys sorted, so equal values have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sourceRank(source: string, settings: TraitSettings): number {
  if (settings.traitConflict.rule !== 'source_priority') return 0;
  const i = settings.traitConflict.sourceOrder.indexOf(source);
  return i < 0 ? settings.traitConflict.sourceOrder.length : i;
}

/** Positive when `a` wins over `b`, negative when `b` wins, 0 when they are the same write. */
export function compareTraitValues(a: TraitValue, b: TraitValue, settings: TraitSettings): number {
  const aOnce = a.once === true;
  const bOnce = b.once === true;
  if (aOnce !== bOnce) return aOnce ? -1 : 1;
  const ta = Date.parse(a.time);
  const tb = Date.parse(b.time);
  if (aOnce) {
    if (ta !== tb) return tb - ta;
  } else {
    const rank = sourceRank(b.source, settings) - sourceRank(a.source, settings);
    if (rank !== 0) return rank;
    if (ta !== tb) return ta - tb;
  }
  return compareText(a.source, b.source) || compareText(canonicalJson(a.value), canonicalJson(b.value));
}

function pick(current: TraitValue | undefined, incoming: TraitValue, settings: TraitSettings): TraitValue {
  if (!current) return incoming;
  return compareTraitValues(incoming, current, settings) > 0 ? incoming : current;
}

/** Applies one event's traits to a profile's traits; returns a new state. */
export function mergeTraits(
  current: TraitState,
  incoming: TraitUpdate,
  settings: TraitSettings = defaultIdentitySettings,
): TraitState {
  if (typeof incoming.source !== 'string' || incoming.source === '') {
    throw invalid('/source', 'must be a non-empty string');
  }
  const time = toIso(incoming.time);
  const next = new Map(Object.entries(current));
  const write = (key: string, value: unknown, once: boolean) => {
    if (value === undefined) return;
    const candidate: TraitValue = once
      ? { value, source: incoming.source, time, once: true }
      : { value, source: incoming.source, time };
    next.set(key, pick(next.get(key), candidate, settings));
  };
  for (const [key, value] of Object.entries(incoming.setOnce ?? {})) write(key, value, true);
  for (const [key, value] of Object.entries(incoming.traits ?? {})) {
    write(key, value, settings.setOnceTraits.includes(key));
  }
  return Object.fromEntries(next);
}

/** The traits of a merged profile: per key, the winning value of either side. */
export function mergeProfilesTraits(
  survivor: TraitState,
  merged: TraitState,
  settings: TraitSettings = defaultIdentitySettings,
): TraitState {
  const next = new Map(Object.entries(survivor));
  for (const [key, value] of Object.entries(merged)) next.set(key, pick(next.get(key), value, settings));
  return Object.fromEntries(next);
}

/** Plain `{ key: value }` traits, e.g. for segment evaluation or display. */
export function traitValues(state: TraitState): Record<string, unknown> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.value]));
}

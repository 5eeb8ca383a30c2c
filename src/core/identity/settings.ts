import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max';
import { type ErrorDetail, ValidationError } from '../errors.ts';
import { type IdentifierKind, KIND_PATTERN } from './kinds.ts';

/**
 * Per-workspace identity resolution settings, modelled on Segment Unify's identity resolution
 * settings: which kinds identify a person, in which priority, and how many values one profile
 * may hold.
 */
export interface IdentifierRule {
  kind: IdentifierKind;
  /** false: the value is stored on the profile but never used to find or merge profiles. */
  identifies: boolean;
  /** Most distinct values of this kind one profile may hold. 1 makes the kind person-unique. */
  maxValues: number;
  /**
   * A value seen with a second person (a conflict on a person-unique kind) stays with its first
   * profile and is marked shared: family tablet, office PC.
   */
  shareable: boolean;
}

export type ExternalIdRule = Omit<IdentifierRule, 'kind'>;

export type TraitConflictRule =
  | { rule: 'latest' }
  /** `sourceOrder[0]` beats every other source; unlisted sources come after all listed ones. */
  | { rule: 'source_priority'; sourceOrder: string[] };

export interface IdentitySettings {
  /** Rules in priority order: the first kind wins when an event's identifiers disagree. */
  identifiers: IdentifierRule[];
  /** Rule for external id types not listed in `identifiers`; they rank after the listed ones. */
  externalIds: ExternalIdRule;
  /** ISO 3166 country for phone numbers written without a country code. */
  defaultCountry: CountryCode;
  traitConflict: TraitConflictRule;
  /** Traits only ever set once (PostHog `$set_once`): the earliest value is kept. */
  setOnceTraits: string[];
  /** Probabilistic matching of profiles that share no identifier (see match.ts). */
  probabilistic: { enabled: boolean; threshold: number };
}

/** The full rule for a kind, with its rank (0 = highest priority). */
export interface ResolvedRule extends IdentifierRule {
  rank: number;
}

export const DEFAULT_MATCH_THRESHOLD = 9;

const BUILT_IN_DEFAULTS: IdentifierRule[] = [
  { kind: 'user_id', identifies: true, maxValues: 1, shareable: false },
  { kind: 'email', identifies: true, maxValues: 5, shareable: false },
  { kind: 'phone', identifies: true, maxValues: 5, shareable: false },
  { kind: 'device_id', identifies: true, maxValues: 20, shareable: true },
  { kind: 'push_token', identifies: true, maxValues: 20, shareable: true },
  { kind: 'anonymous_id', identifies: true, maxValues: 100, shareable: true },
].map((r) => Object.freeze(r));
Object.freeze(BUILT_IN_DEFAULTS);

/** Frozen: validated settings share these objects. */
export const defaultIdentitySettings: IdentitySettings = Object.freeze({
  identifiers: BUILT_IN_DEFAULTS,
  externalIds: Object.freeze({ identifies: true, maxValues: 5, shareable: false }),
  defaultCountry: 'RU',
  traitConflict: Object.freeze({ rule: 'latest' }),
  setOnceTraits: Object.freeze([]) as unknown as string[],
  probabilistic: Object.freeze({ enabled: true, threshold: DEFAULT_MATCH_THRESHOLD }),
});

/** The rule that applies to a kind under these settings. */
/** Rules resolved per settings object (settings are never mutated; ingestion asks per identifier). */
const resolvedRules = new WeakMap<IdentitySettings, Map<IdentifierKind, ResolvedRule>>();

export function ruleFor(kind: IdentifierKind, settings: IdentitySettings): ResolvedRule {
  let rules = resolvedRules.get(settings);
  if (!rules) {
    rules = new Map();
    resolvedRules.set(settings, rules);
  }
  let rule = rules.get(kind);
  if (!rule) {
    const index = settings.identifiers.findIndex((r) => r.kind === kind);
    rule =
      index >= 0
        ? { ...settings.identifiers[index], rank: index }
        : { kind, ...settings.externalIds, rank: settings.identifiers.length };
    rules.set(kind, rule);
  }
  return rule;
}

const MAX_VALUES_LIMIT = 10_000;
const TOP_KEYS = [
  'identifiers',
  'externalIds',
  'defaultCountry',
  'traitConflict',
  'setOnceTraits',
  'probabilistic',
];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly details: ErrorDetail[] = [];
  add(path: string, message: string): void {
    this.details.push({ path, message });
  }
  unknownKeys(obj: Record<string, unknown>, allowed: string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add(`${path}/${key}`, 'unknown setting');
    }
  }
  bool(obj: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.add(`${path}/${key}`, 'must be true or false');
    return v === true;
  }
  count(obj: Record<string, unknown>, key: string, path: string, fallback: number): number {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_VALUES_LIMIT) {
      this.add(`${path}/${key}`, `must be an integer from 1 to ${MAX_VALUES_LIMIT}`);
      return fallback;
    }
    return v;
  }
  names(v: unknown, path: string, nonEmpty: boolean): string[] {
    if (!Array.isArray(v)) {
      this.add(path, 'must be an array of strings');
      return [];
    }
    if (nonEmpty && v.length === 0) this.add(path, 'must not be empty');
    const seen = new Set<string>();
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '')
        this.add(`${path}/${i}`, 'must be a non-empty string');
      else if (seen.has(item)) this.add(`${path}/${i}`, `duplicate ${JSON.stringify(item)}`);
      else seen.add(item);
    });
    return [...seen];
  }
}

function validateRule(c: Collector, v: unknown, path: string, fallback: ExternalIdRule): ExternalIdRule {
  if (!isObject(v)) {
    c.add(path, 'must be an object');
    return fallback;
  }
  c.unknownKeys(v, ['kind', 'identifies', 'maxValues', 'shareable'], path);
  return {
    identifies: c.bool(v, 'identifies', path, fallback.identifies),
    maxValues: c.count(v, 'maxValues', path, fallback.maxValues),
    shareable: c.bool(v, 'shareable', path, fallback.shareable),
  };
}

function validateIdentifiers(c: Collector, v: unknown, external: ExternalIdRule): IdentifierRule[] {
  if (!Array.isArray(v) || v.length === 0) {
    c.add('/identifiers', 'must be a non-empty array of identifier rules');
    return BUILT_IN_DEFAULTS;
  }
  const rules: IdentifierRule[] = [];
  v.forEach((item, i) => {
    const path = `/identifiers/${i}`;
    const kind = isObject(item) ? item.kind : undefined;
    if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) {
      c.add(`${path}/kind`, 'must be a lower-case kind name such as "email" or "crm_id"');
      return;
    }
    if (rules.some((r) => r.kind === kind)) c.add(`${path}/kind`, `duplicate kind "${kind}"`);
    const base = BUILT_IN_DEFAULTS.find((r) => r.kind === kind) ?? external;
    rules.push({ kind, ...validateRule(c, item, path, base) });
  });
  const userIndex = rules.findIndex((r) => r.kind === 'user_id');
  const user = rules[userIndex];
  if (!user) c.add('/identifiers', 'must include the "user_id" kind');
  else {
    const path = `/identifiers/${userIndex}`;
    if (user.maxValues !== 1) c.add(`${path}/maxValues`, 'a profile holds exactly one user_id');
    if (!user.identifies) c.add(`${path}/identifies`, 'user_id always identifies');
    if (user.shareable) c.add(`${path}/shareable`, 'user_id cannot be shared');
  }
  return rules;
}

function validateTraitConflict(c: Collector, v: unknown): TraitConflictRule {
  const path = '/traitConflict';
  if (!isObject(v)) {
    c.add(path, 'must be an object');
    return { rule: 'latest' };
  }
  if (v.rule === 'latest') {
    c.unknownKeys(v, ['rule'], path);
    return { rule: 'latest' };
  }
  if (v.rule === 'source_priority') {
    c.unknownKeys(v, ['rule', 'sourceOrder'], path);
    return { rule: 'source_priority', sourceOrder: c.names(v.sourceOrder, `${path}/sourceOrder`, true) };
  }
  c.add(`${path}/rule`, 'must be "latest" or "source_priority"');
  return { rule: 'latest' };
}

function validateProbabilistic(c: Collector, v: unknown): IdentitySettings['probabilistic'] {
  const path = '/probabilistic';
  const fallback = defaultIdentitySettings.probabilistic;
  if (!isObject(v)) {
    c.add(path, 'must be an object');
    return fallback;
  }
  c.unknownKeys(v, ['enabled', 'threshold'], path);
  const threshold = v.threshold ?? fallback.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
    c.add(`${path}/threshold`, 'must be a positive number');
  }
  return {
    enabled: c.bool(v, 'enabled', path, fallback.enabled),
    threshold: typeof threshold === 'number' ? threshold : fallback.threshold,
  };
}

/**
 * Checks stored or submitted settings. Missing top-level fields take their defaults; a given
 * `identifiers` list replaces the default list (its order is the priority). Throws one
 * ValidationError listing every problem with its JSON path.
 */
export function validateIdentitySettings(input: unknown): IdentitySettings {
  const c = new Collector();
  if (input === undefined || input === null) return defaultIdentitySettings;
  if (!isObject(input))
    throw new ValidationError('identity settings: must be an object', [
      { path: '', message: 'must be an object' },
    ]);
  c.unknownKeys(input, TOP_KEYS, '');
  const d = defaultIdentitySettings;
  const externalIds =
    input.externalIds === undefined
      ? d.externalIds
      : validateRule(c, input.externalIds, '/externalIds', d.externalIds);
  if (isObject(input.externalIds) && 'kind' in input.externalIds)
    c.add('/externalIds/kind', 'unknown setting');
  const identifiers =
    input.identifiers === undefined ? d.identifiers : validateIdentifiers(c, input.identifiers, externalIds);
  let defaultCountry = d.defaultCountry;
  if (input.defaultCountry !== undefined) {
    const v = input.defaultCountry;
    if (typeof v === 'string' && /^[A-Z]{2}$/.test(v) && isSupportedCountry(v)) defaultCountry = v;
    else c.add('/defaultCountry', 'must be a supported ISO 3166 alpha-2 country code such as "RU"');
  }
  const settings: IdentitySettings = {
    identifiers,
    externalIds,
    defaultCountry,
    traitConflict:
      input.traitConflict === undefined ? d.traitConflict : validateTraitConflict(c, input.traitConflict),
    setOnceTraits:
      input.setOnceTraits === undefined
        ? d.setOnceTraits
        : c.names(input.setOnceTraits, '/setOnceTraits', false),
    probabilistic:
      input.probabilistic === undefined ? d.probabilistic : validateProbabilistic(c, input.probabilistic),
  };
  if (c.details.length > 0) {
    const first = c.details[0];
    const more = c.details.length > 1 ? ` (and ${c.details.length - 1} more)` : '';
    throw new ValidationError(`identity settings: ${first.path}: ${first.message}${more}`, c.details);
  }
  return settings;
}

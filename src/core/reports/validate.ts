/**
 * Validation of a report spec beyond its JSON shape: times, the time zone, filter operators and
 * their values, limits. Every problem carries the JSON path of the field (`/filters/0/value`).
 */
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { type ErrorDetail, ValidationError } from '../errors.ts';
import { type Filter, type ReportKind, SPEC_SCHEMAS, type SpecOf } from './spec.ts';
import { bucketCount, type Granularity, isTimeZone, parseInstant } from './time.ts';

/** At most this many buckets in one series (about ten years of days). */
export const MAX_BUCKETS = 3_660;
const MAX_DETAILS = 20;

const checks = new Map<ReportKind, TypeCheck<(typeof SPEC_SCHEMAS)[ReportKind]>>();

function checkOf(kind: ReportKind) {
  let c = checks.get(kind);
  if (!c) {
    c = TypeCompiler.Compile(SPEC_SCHEMAS[kind]);
    checks.set(kind, c);
  }
  return c;
}

/** A spec that passed validation, with its instants and time zone resolved. */
export interface Resolved<K extends ReportKind = ReportKind> {
  kind: K;
  spec: SpecOf<K>;
  from: number;
  to: number;
  tz: string;
}

const MAX_TEXT = 10_000;
const MAX_LIST = 10_000;

function scalar(v: unknown): boolean {
  return (
    (typeof v === 'string' && v.length <= MAX_TEXT) ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

/** Problems of one filter at `path`; `propertyOnly` forbids trait conditions (funnel steps). */
export function filterProblems(f: Filter, path: string, propertyOnly = false): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const has = (k: keyof Filter) => f[k] !== undefined;
  if (has('property') === has('trait')) {
    out.push({
      path,
      message: propertyOnly ? 'needs "property"' : 'needs exactly one of "property" or "trait"',
    });
  } else if (propertyOnly && has('trait')) {
    out.push({ path: `${path}/trait`, message: 'only event property conditions are allowed here' });
  }
  const value = f.value;
  const at = `${path}/value`;
  switch (f.op) {
    case 'exists':
    case 'not_exists':
      if (value !== undefined) out.push({ path: at, message: `${f.op} takes no value` });
      break;
    case 'eq':
    case 'neq':
      if (!scalar(value)) out.push({ path: at, message: `${f.op} needs a string, number or boolean` });
      break;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'number' || !Number.isFinite(value))
        out.push({ path: at, message: `${f.op} needs a number` });
      break;
    case 'in':
    case 'not_in':
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST || !value.every(scalar))
        out.push({
          path: at,
          message: `${f.op} needs a list of 1 to ${MAX_LIST} strings, numbers or booleans`,
        });
      break;
    case 'contains':
      if (typeof value !== 'string' || value.length > MAX_TEXT)
        out.push({ path: at, message: `contains needs a string of at most ${MAX_TEXT} characters` });
      break;
  }
  return out;
}

function granularityOf(kind: ReportKind, spec: Record<string, unknown>): [string, Granularity] | null {
  if (kind === 'overview' || kind === 'revenue')
    return ['granularity', (spec.granularity as Granularity) ?? 'day'];
  if (kind === 'subscriptions') return ['granularity', (spec.granularity as Granularity) ?? 'month'];
  return null;
}

function kindProblems(kind: ReportKind, spec: Record<string, unknown>, base: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (kind === 'funnel') {
    const steps = spec.steps as SpecOf<'funnel'>['steps'];
    steps.forEach((s, i) => {
      s.where?.forEach((f, j) => {
        out.push(...filterProblems(f, `${base}/steps/${i}/where/${j}`, true));
      });
    });
  }
  if (kind === 'paths' && (spec.start === undefined) === (spec.end === undefined)) {
    out.push({ path: `${base}/start`, message: 'give exactly one of "start" or "end"' });
  }
  return out;
}

/**
 * Checks `input` against the kind's schema and the rules above; throws a ValidationError naming
 * every problem (paths start with `base`, e.g. `/spec` for a saved report).
 */
export function validateSpec<K extends ReportKind>(kind: K, input: unknown, base = ''): Resolved<K> {
  const check = checkOf(kind);
  const details: ErrorDetail[] = [];
  for (const e of check.Errors(input)) {
    details.push({ path: `${base}${e.path}` || '/', message: e.message });
    if (details.length >= MAX_DETAILS) break;
  }
  if (details.length) throw problems(details);
  const spec = input as SpecOf<K>;
  const raw = spec as unknown as Record<string, unknown>;
  const from = parseInstant(spec.from);
  const to = parseInstant(spec.to);
  if (from === undefined)
    details.push({ path: `${base}/from`, message: 'must be an ISO-8601 date or date-time' });
  if (to === undefined)
    details.push({ path: `${base}/to`, message: 'must be an ISO-8601 date or date-time' });
  if (from !== undefined && to !== undefined && to <= from)
    details.push({ path: `${base}/to`, message: 'must be after from' });
  const tz = spec.timezone ?? 'UTC';
  if (!isTimeZone(tz)) details.push({ path: `${base}/timezone`, message: 'must be an IANA time zone name' });
  spec.filters?.forEach((f, i) => {
    details.push(...filterProblems(f, `${base}/filters/${i}`));
  });
  details.push(...kindProblems(kind, raw, base));
  const gran = granularityOf(kind, raw);
  if (gran && details.length === 0 && bucketCount(from!, to!, tz, gran[1]) > MAX_BUCKETS) {
    details.push({ path: `${base}/${gran[0]}`, message: `the range has more than ${MAX_BUCKETS} buckets` });
  }
  if (details.length) throw problems(details);
  return { kind, spec, from: from!, to: to!, tz };
}

function problems(details: ErrorDetail[]): ValidationError {
  const shown = details.slice(0, MAX_DETAILS);
  return new ValidationError(
    `Invalid report spec: ${shown.map((d) => `${d.path} ${d.message}`).join('; ')}`,
    shown,
  );
}

/**
 * The report form's state and the spec it sends (specs/reports.md). Pure: no React, no DOM, so
 * the mapping is unit-tested. Dates in the form are local days `YYYY-MM-DD`, both inclusive; the
 * spec gets instants with the time zone's offset, `to` exclusive (the day after the last one).
 */
import type { ReportKind, Spec } from '../../api/reports.ts';

export const FILTER_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const MODELS = ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based'] as const;
export const CHANNELS = ['source', 'source_medium', 'campaign'] as const;

export interface FilterRow {
  target: 'property' | 'trait';
  name: string;
  op: FilterOp;
  /** As typed: `a, b` for in/not_in; numbers and true/false become JSON numbers and booleans. */
  value: string;
}

export interface FormState {
  from: string;
  to: string;
  timezone: string;
  segmentId: string | null;
  breakdown: { type: 'none' | 'property' | 'trait'; name: string };
  filters: FilterRow[];
  granularity: Granularity;
  // funnel
  steps: string[];
  window: number;
  windowUnit: 'days' | 'hours';
  order: 'strict' | 'any';
  // retention, ltv
  cohortEvent: string;
  returnEvent: string;
  period: Granularity;
  periods: number;
  revenueProperty: string;
  by: 'cohort' | 'channel';
  // rfm, revenue, attribution
  purchaseEvent: string;
  orderEvent: string;
  conversionEvent: string;
  model: (typeof MODELS)[number];
  lookbackDays: number;
  channel: (typeof CHANNELS)[number];
  // paths
  anchor: 'start' | 'end';
  anchorEvent: string;
  pathSteps: number;
  topN: number;
  // content, subscriptions
  contentProperty: string;
  plan: string;
}

const DAY = 86_400_000;

/** `YYYY-MM-DD` of `ms` in UTC. */
export function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  return ymd(Date.parse(`${day}T00:00:00Z`) + DAY);
}

/** Minutes `timeZone` is ahead of UTC at the instant `ms` (Moscow: 180); 0 for an unknown zone. */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
  } catch {
    return 0;
  }
}

/** Local midnight of `day` in `timeZone` as ISO-8601 with its offset: `2026-03-01T00:00:00+03:00`. */
export function localMidnight(day: string, timeZone: string): string {
  const utc = Date.parse(`${day}T00:00:00Z`);
  // Two passes: the offset at the guessed instant, then at the instant it gives (DST edges).
  let offset = zoneOffsetMinutes(timeZone, utc);
  offset = zoneOffsetMinutes(timeZone, utc - offset * 60_000);
  if (offset === 0) return `${day}T00:00:00Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${day}T00:00:00${sign}${hh}:${mm}`;
}

/** The browser's IANA time zone (UTC when it has none). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A form for the 30 days up to `today` (inclusive) with each report's usual events. */
export function defaultState(today: Date, timezone = 'UTC'): FormState {
  const to = ymd(today.getTime());
  return {
    from: ymd(today.getTime() - 29 * DAY),
    to,
    timezone,
    segmentId: null,
    breakdown: { type: 'none', name: '' },
    filters: [],
    granularity: 'day',
    steps: ['Product Viewed', 'Product Added', 'Order Completed'],
    window: 7,
    windowUnit: 'days',
    order: 'strict',
    cohortEvent: '',
    returnEvent: '',
    period: 'week',
    periods: 8,
    revenueProperty: 'revenue',
    by: 'cohort',
    purchaseEvent: 'Order Completed',
    orderEvent: 'Order Completed',
    conversionEvent: 'Order Completed',
    model: 'last_touch',
    lookbackDays: 30,
    channel: 'source',
    anchor: 'start',
    anchorEvent: 'Product Viewed',
    pathSteps: 4,
    topN: 10,
    contentProperty: 'content_id',
    plan: '',
  };
}

/** A typed filter value as JSON: lists for in/not_in, numbers, booleans, else the text. */
export function parseValue(op: FilterOp, text: string): unknown {
  if (op === 'exists' || op === 'not_exists') return undefined;
  const scalar = (s: string): string | number | boolean => {
    const t = s.trim();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (op !== 'contains' && t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    return t;
  };
  if (op === 'in' || op === 'not_in')
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(scalar);
  return scalar(text);
}

function filterSpec(f: FilterRow): Record<string, unknown> {
  const value = parseValue(f.op, f.value);
  return { [f.target]: f.name.trim(), op: f.op, ...(value === undefined ? {} : { value }) };
}

const text = (s: string) => (s.trim() === '' ? undefined : s.trim());

/** Only the keys with a value (the server applies its defaults to the rest). */
function compact(o: Record<string, unknown>): Spec {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The spec of `kind` for the form: common fields and the kind's own. */
export function buildSpec(kind: ReportKind, s: FormState): Spec {
  const filters = s.filters.filter((f) => f.name.trim() !== '').map(filterSpec);
  const breakdownName = s.breakdown.name.trim();
  const common = {
    from: localMidnight(s.from, s.timezone),
    to: localMidnight(nextDay(s.to), s.timezone),
    timezone: s.timezone,
    segmentId: s.segmentId ?? undefined,
    filters: filters.length ? filters : undefined,
    breakdown:
      s.breakdown.type === 'none' || breakdownName === '' ? undefined : { [s.breakdown.type]: breakdownName },
  };
  const own: Record<ReportKind, Record<string, unknown>> = {
    overview: { granularity: s.granularity },
    funnel: {
      steps: s.steps
        .map((e) => e.trim())
        .filter((e) => e !== '')
        .map((event) => ({ event })),
      window: { [s.windowUnit]: s.window },
      order: s.order,
    },
    retention: {
      cohortEvent: text(s.cohortEvent) ?? null,
      returnEvent: text(s.returnEvent) ?? null,
      period: s.period,
      periods: s.periods,
    },
    ltv: { revenueProperty: text(s.revenueProperty), period: s.period, periods: s.periods, by: s.by },
    rfm: { purchaseEvent: text(s.purchaseEvent), revenueProperty: text(s.revenueProperty) },
    paths: { [s.anchor]: text(s.anchorEvent), steps: s.pathSteps, topN: s.topN },
    attribution: {
      conversionEvent: text(s.conversionEvent),
      revenueProperty: text(s.revenueProperty),
      model: s.model,
      lookbackDays: s.lookbackDays,
      channel: s.channel,
    },
    revenue: {
      orderEvent: text(s.orderEvent),
      revenueProperty: text(s.revenueProperty),
      granularity: s.granularity,
    },
    content: { contentProperty: text(s.contentProperty) },
    subscriptions: { plan: text(s.plan), granularity: s.granularity },
  };
  return compact({ ...common, ...own[kind] });
}

/** The local day of an instant the form sent (`2026-03-01T00:00:00+03:00` → 2026-03-01). */
function dayOf(instant: unknown): string | undefined {
  return typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}/.test(instant) ? instant.slice(0, 10) : undefined;
}

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const int = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
function oneOf<T extends string>(values: readonly T[], v: unknown, fallback: T): T {
  return values.includes(v as T) ? (v as T) : fallback;
}

/** The form of a saved spec (the inverse of buildSpec for what the form can express). */
export function stateFromSpec(spec: Spec, base: FormState): FormState {
  const lastDay = dayOf(spec.to);
  const bd = (spec.breakdown ?? {}) as Record<string, unknown>;
  const window = (spec.window ?? {}) as Record<string, unknown>;
  const steps = Array.isArray(spec.steps)
    ? spec.steps.map((s) => str((s as { event?: unknown }).event, ''))
    : base.steps;
  const filters = Array.isArray(spec.filters)
    ? (spec.filters as Record<string, unknown>[]).map(
        (f): FilterRow => ({
          target: typeof f.trait === 'string' ? 'trait' : 'property',
          name: str(f.trait ?? f.property, ''),
          op: oneOf(FILTER_OPS, f.op, 'eq'),
          value: Array.isArray(f.value) ? f.value.join(', ') : f.value === undefined ? '' : String(f.value),
        }),
      )
    : [];
  return {
    ...base,
    from: dayOf(spec.from) ?? base.from,
    to: lastDay ? ymd(Date.parse(`${lastDay}T00:00:00Z`) - DAY) : base.to,
    timezone: str(spec.timezone, 'UTC'),
    segmentId: typeof spec.segmentId === 'string' ? spec.segmentId : null,
    breakdown:
      typeof bd.property === 'string'
        ? { type: 'property', name: bd.property }
        : typeof bd.trait === 'string'
          ? { type: 'trait', name: bd.trait }
          : { type: 'none', name: '' },
    filters,
    granularity: oneOf(GRANULARITIES, spec.granularity, base.granularity),
    steps,
    window: int(window.days ?? window.hours, base.window),
    windowUnit: window.hours !== undefined ? 'hours' : 'days',
    order: oneOf(['strict', 'any'] as const, spec.order, base.order),
    cohortEvent: str(spec.cohortEvent, ''),
    returnEvent: str(spec.returnEvent, ''),
    period: oneOf(GRANULARITIES, spec.period, base.period),
    periods: int(spec.periods, base.periods),
    revenueProperty: str(spec.revenueProperty, base.revenueProperty),
    by: oneOf(['cohort', 'channel'] as const, spec.by, base.by),
    purchaseEvent: str(spec.purchaseEvent, base.purchaseEvent),
    orderEvent: str(spec.orderEvent, base.orderEvent),
    conversionEvent: str(spec.conversionEvent, base.conversionEvent),
    model: oneOf(MODELS, spec.model, base.model),
    lookbackDays: int(spec.lookbackDays, base.lookbackDays),
    channel: oneOf(CHANNELS, spec.channel, base.channel),
    anchor: typeof spec.end === 'string' ? 'end' : 'start',
    anchorEvent: str(spec.end ?? spec.start, base.anchorEvent),
    pathSteps: int(spec.steps, base.pathSteps),
    topN: int(spec.topN, base.topN),
    contentProperty: str(spec.contentProperty, base.contentProperty),
    plan: str(spec.plan, ''),
  };
}

/** Event names of the tracking spec and the demo, offered before the workspace's own are known. */
export const COMMON_EVENTS = [
  'Product Viewed',
  'Product Added',
  'Checkout Started',
  'Order Completed',
  'Products Searched',
  'Signed In',
  'Video Playback Started',
  'Video Playback Completed',
  'Subscription Started',
  'Subscription Renewed',
  'Subscription Cancelled',
];

/** The names seen in the workspace first (most frequent first), then the common ones, no repeats. */
export function eventSuggestions(seen: (string | null | undefined)[]): string[] {
  const counts = new Map<string, number>();
  for (const name of seen) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  const own = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
  return [...new Set([...own, ...COMMON_EVENTS])];
}

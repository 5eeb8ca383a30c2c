/**
 * fast-check generators of VALID rules over the test dataset's vocabulary (value-arbitraries.ts).
 * `strings` / `events` put any string arbitrary (e.g. hostile text) in every string value and
 * event name.
 */
import fc from 'fast-check';
import { RFM_CELL_NAMES } from '../rfm-cells.ts';
import { AGGREGATE_FNS, CHANNELS } from '../rule-constants.ts';
import type { PropertyFilter, Rule, ValuePredicate } from '../rule-schema.ts';
import {
  byTime,
  EVENTS,
  isoDate,
  NUMBERS,
  numberPredicate,
  PROPERTIES,
  propertyDocs,
  relative,
  sortedPair,
  TRAITS,
  traitDocs,
  valuePredicate,
  valuesFor,
  window,
} from './value-arbitraries.ts';

export { hostileString, NASTY, textArb } from './value-arbitraries.ts';

export interface RuleArbOptions {
  strings?: fc.Arbitrary<string>;
  events?: fc.Arbitrary<string>;
  segments?: string[];
  maxDepth?: number;
}

/** A trait or property condition: a name, then an operator with values found under it. */
function named<K extends string>(key: K, names: string[], docs: object[], strings?: fc.Arbitrary<string>) {
  return fc.constantFrom(...names).chain((name) => {
    const { text, number } = valuesFor(docs, name, strings);
    return valuePredicate(text, number).map(
      (p) => ({ [key]: name, ...p }) as { [k in K]: string } & ValuePredicate,
    );
  });
}

function where(strings?: fc.Arbitrary<string>): fc.Arbitrary<PropertyFilter[]> {
  return fc.array(named('property', PROPERTIES, propertyDocs, strings), { maxLength: 2 });
}

/** Builds an object without the optional keys fast-check left undefined. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export type ConditionKind =
  | 'trait'
  | 'builtin'
  | 'did'
  | 'aggregate'
  | 'sequence'
  | 'rfm'
  | 'reachable'
  | 'segment';

/** One generator of valid conditions per kind. */
export function conditionArbs(opts: RuleArbOptions = {}): Record<ConditionKind, fc.Arbitrary<Rule>> {
  const strings = opts.strings;
  const event = fc.option(opts.events ?? fc.constantFrom(...EVENTS), { nil: null, freq: 4 });
  const counts = fc.constantFrom(0, 1, 2, 3, 5);
  const trait = named('trait', TRAITS, traitDocs, strings) as fc.Arbitrary<Rule>;
  const builtin = fc.oneof(
    fc.record({
      trait: fc.constantFrom('$firstSeen' as const, '$lastSeen' as const),
      op: fc.constantFrom('before' as const, 'after' as const),
      value: fc.oneof(relative, isoDate),
    }),
    fc.record({
      trait: fc.constantFrom('$firstSeen' as const, '$lastSeen' as const),
      op: fc.constant('within_last' as const),
      value: relative,
    }),
    fc.record({
      trait: fc.constantFrom('$firstSeen' as const, '$lastSeen' as const),
      op: fc.constant('between' as const),
      value: sortedPair(isoDate, byTime),
    }),
    numberPredicate(counts).map((p) => ({ trait: '$eventCount' as const, ...p })),
    fc.record({
      trait: fc.constant('$identifiers' as const),
      op: fc.constantFrom('contains' as const, 'not_contains' as const),
      value: fc.constantFrom('email', 'phone', 'push_token', 'telegram'),
    }),
    fc.record({
      trait: fc.constant('$identifiers' as const),
      op: fc.constantFrom('in' as const, 'not_in' as const),
      value: fc.subarray(['email', 'phone', 'push_token'], { minLength: 1 }),
    }),
    fc.record({
      trait: fc.constant('$identifiers' as const),
      op: fc.constantFrom('exists' as const, 'not_exists' as const),
    }),
  ) as fc.Arbitrary<Rule>;
  const did = fc
    .record({
      event,
      count: fc.option(numberPredicate(counts), { nil: undefined }),
      within: fc.option(window, { nil: undefined }),
      where: fc.option(where(strings), { nil: undefined }),
    })
    .map((r) => compact(r) as Rule);
  const aggregate = fc
    .tuple(
      fc.record({
        event,
        fn: fc.constantFrom(...AGGREGATE_FNS),
        property: fc.option(fc.constantFrom(...PROPERTIES), { nil: undefined, freq: 8 }),
        within: fc.option(window, { nil: undefined }),
        where: fc.option(where(strings), { nil: undefined }),
      }),
      numberPredicate(fc.constantFrom(...NUMBERS, 30.5, 15.25, 85)),
    )
    .map(([r, p]) => {
      const property = r.property ?? (r.fn === 'count' ? undefined : 'revenue');
      const aggregate = compact({ fn: r.fn, property });
      return compact({ event: r.event, aggregate, ...p, within: r.within, where: r.where }) as Rule;
    });
  const step = fc
    .record({ event, where: fc.option(where(strings), { nil: undefined }) })
    .map((s) => compact(s));
  const sequence = fc
    .record({
      sequence: fc.array(step, { minLength: 1, maxLength: 3 }),
      within: fc.option(window, { nil: undefined }),
    })
    .map((r) => compact(r) as Rule);
  const score = sortedPair(fc.integer({ min: 1, max: 5 }), (a, b) => a - b);
  const rfm = fc.oneof(
    fc.constantFrom(...RFM_CELL_NAMES).map((rfm) => ({ rfm })),
    fc
      .record({ r: score, f: score, m: score }, { requiredKeys: [] })
      .filter((s) => Object.keys(s).length > 0)
      .map((rfm) => ({ rfm })),
  );
  const reachable = fc.constantFrom(...CHANNELS).map((reachable) => ({ reachable }));
  const segment = fc.constantFrom(...(opts.segments ?? ['seg_none'])).map((id) => ({ segment: id }));
  return { trait, builtin, did, aggregate, sequence, rfm, reachable, segment };
}

export function conditionArb(opts: RuleArbOptions = {}): fc.Arbitrary<Rule> {
  const k = conditionArbs(opts);
  const kinds = [k.trait, k.trait, k.builtin, k.did, k.did, k.aggregate, k.sequence, k.rfm, k.reachable];
  if (opts.segments?.length) kinds.push(k.segment);
  return fc.oneof(...kinds);
}

/** Random valid rules: groups nested up to `maxDepth` (default 3) over random conditions. */
export function ruleArb(opts: RuleArbOptions = {}): fc.Arbitrary<Rule> {
  const leaf = conditionArb(opts);
  const { tree } = fc.letrec<{ tree: Rule }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: opts.maxDepth ?? 3 },
      leaf,
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      tie('tree').map((not) => ({ not })),
    ),
  }));
  return tree;
}

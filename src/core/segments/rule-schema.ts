/**
 * The segment rule language (specs/segment-rules.md): TypeScript types of a rule and the
 * validator that produces them. A rule is a group (`and`, `or`, `not`) or a condition.
 */

import type { RfmCellName, ScoreRange } from './rfm-cells.ts';
import { type AggregateFn, BUILTIN_TRAITS, type Channel, type NumberOp } from './rule-constants.ts';

export { RuleSchema } from './rule-openapi.ts';
export { validateRule } from './validate-rule.ts';

export type Scalar = string | number | boolean;

/** `{days:N}` or `{hours:N}`: a span back from `now`. */
export type RelativeTime = { days: number } | { hours: number };

/** `{days:N}` / `{hours:N}` (rolling, ending at now) or `{from, to}` (ISO, inclusive). */
export type TimeWindow = RelativeTime | { from: string; to: string };

/** An operator with its value, applied to one trait or event property. */
export type ValuePredicate =
  | { op: 'eq' | 'neq'; value: Scalar }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { op: 'between'; value: [number, number] | [string, string] }
  | { op: 'in' | 'not_in'; value: Scalar[] }
  | { op: 'contains' | 'not_contains' | 'starts_with' | 'ends_with'; value: string }
  | { op: 'exists' | 'not_exists' }
  | { op: 'before' | 'after'; value: RelativeTime | string }
  | { op: 'within_last'; value: RelativeTime };

/** A number compared with an operator: counts and aggregates. */
export type NumberPredicate =
  | { op: Exclude<NumberOp, 'between'>; value: number }
  | { op: 'between'; value: [number, number] };

export type TraitCondition = { trait: string } & ValuePredicate;

export type BuiltinCondition =
  | ({ trait: '$firstSeen' | '$lastSeen' } & (
      | { op: 'before' | 'after'; value: RelativeTime | string }
      | { op: 'within_last'; value: RelativeTime }
      | { op: 'between'; value: [string, string] }
    ))
  | ({ trait: '$eventCount' } & NumberPredicate)
  | ({ trait: '$identifiers' } & (
      | { op: 'contains' | 'not_contains'; value: string }
      | { op: 'in' | 'not_in'; value: string[] }
      | { op: 'exists' | 'not_exists' }
    ));

export type PropertyFilter = { property: string } & ValuePredicate;

/** `event: null` means any event. */
export interface DidCondition {
  event: string | null;
  count?: NumberPredicate;
  within?: TimeWindow;
  where?: PropertyFilter[];
}

export type AggregateCondition = {
  event: string | null;
  aggregate: { fn: AggregateFn; property?: string };
  within?: TimeWindow;
  where?: PropertyFilter[];
} & NumberPredicate;

export interface SequenceStep {
  event: string | null;
  where?: PropertyFilter[];
}

export interface SequenceCondition {
  sequence: SequenceStep[];
  within?: TimeWindow;
}

export interface RfmScores {
  r?: ScoreRange;
  f?: ScoreRange;
  m?: ScoreRange;
}

export interface RfmCondition {
  rfm: RfmScores | RfmCellName;
}

export interface SegmentCondition {
  segment: string;
}

export interface ReachableCondition {
  reachable: Channel;
}

export interface AndGroup {
  and: Rule[];
}
export interface OrGroup {
  or: Rule[];
}
export interface NotGroup {
  not: Rule;
}

export type Condition =
  | TraitCondition
  | BuiltinCondition
  | DidCondition
  | AggregateCondition
  | SequenceCondition
  | RfmCondition
  | SegmentCondition
  | ReachableCondition;

export type Rule = AndGroup | OrGroup | NotGroup | Condition;

/** A rule node with its kind made explicit, for exhaustive dispatch. */
export type ClassifiedRule =
  | { kind: 'and'; node: AndGroup }
  | { kind: 'or'; node: OrGroup }
  | { kind: 'not'; node: NotGroup }
  | { kind: 'trait'; node: TraitCondition }
  | { kind: 'builtin'; node: BuiltinCondition }
  | { kind: 'did'; node: DidCondition }
  | { kind: 'aggregate'; node: AggregateCondition }
  | { kind: 'sequence'; node: SequenceCondition }
  | { kind: 'rfm'; node: RfmCondition }
  | { kind: 'segment'; node: SegmentCondition }
  | { kind: 'reachable'; node: ReachableCondition };

export type RuleKind = ClassifiedRule['kind'];

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_TRAITS);

/** Tells what a (validated) rule node is. */
export function classifyRule(rule: Rule): ClassifiedRule {
  if ('and' in rule) return { kind: 'and', node: rule };
  if ('or' in rule) return { kind: 'or', node: rule };
  if ('not' in rule) return { kind: 'not', node: rule };
  if ('trait' in rule) {
    return BUILTINS.has(rule.trait)
      ? { kind: 'builtin', node: rule as BuiltinCondition }
      : { kind: 'trait', node: rule as TraitCondition };
  }
  if ('aggregate' in rule) return { kind: 'aggregate', node: rule };
  if ('event' in rule) return { kind: 'did', node: rule };
  if ('sequence' in rule) return { kind: 'sequence', node: rule };
  if ('rfm' in rule) return { kind: 'rfm', node: rule };
  if ('segment' in rule) return { kind: 'segment', node: rule };
  return { kind: 'reachable', node: rule };
}

export function isBuiltinTrait(name: string): boolean {
  return BUILTINS.has(name);
}

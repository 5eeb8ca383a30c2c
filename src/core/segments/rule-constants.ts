/** Fixed vocabulary and limits of the segment rule language (specs/segment-rules.md). */

export const MAX_DEPTH = 10;
export const MAX_CONDITIONS = 200;
export const MAX_IN_VALUES = 10_000;
/** A rule with its referenced segments expanded may hold at most this many conditions. */
export const MAX_EXPANDED_CONDITIONS = 2_000;
export const MAX_SEQUENCE_STEPS = 20;
export const MAX_EVENT_NAME_LENGTH = 200;
export const MAX_NAME_LENGTH = 256;
export const MAX_NAME_LEVELS = 8;
export const MAX_STRING_VALUE_LENGTH = 10_000;
export const MAX_DAYS = 100_000;
export const MAX_HOURS = MAX_DAYS * 24;

/** Trait and property names: dot-separated identifiers, dots reach nested objects. */
export const NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
export const SEGMENT_ID_PATTERN = /^seg_[A-Za-z0-9_-]{1,100}$/;
export const IDENTIFIER_TYPE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const VALUE_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'exists',
  'not_exists',
  'between',
  'before',
  'after',
  'within_last',
] as const;
export type ValueOp = (typeof VALUE_OPS)[number];

/** Operators for counts and aggregates (numbers only). */
export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export type NumberOp = (typeof NUMBER_OPS)[number];

export const TIME_BUILTINS = ['$firstSeen', '$lastSeen'] as const;
export const BUILTIN_TRAITS = [...TIME_BUILTINS, '$eventCount', '$identifiers'] as const;
export type BuiltinTrait = (typeof BUILTIN_TRAITS)[number];

export const TIME_BUILTIN_OPS = ['before', 'after', 'within_last', 'between'] as const;
export const IDENTIFIER_OPS = ['contains', 'not_contains', 'in', 'not_in', 'exists', 'not_exists'] as const;

export const AGGREGATE_FNS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

export const CHANNELS = ['email', 'sms', 'push', 'telegram'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The keys that decide what a node is, in the order they are recognised. */
export const KIND_KEYS = [
  'and',
  'or',
  'not',
  'trait',
  'event',
  'sequence',
  'rfm',
  'segment',
  'reachable',
] as const;

/** RFM defaults: the purchase event and the property carrying its revenue. */
export const DEFAULT_PURCHASE_EVENT = 'Order Completed';
export const DEFAULT_REVENUE_PROPERTY = 'revenue';

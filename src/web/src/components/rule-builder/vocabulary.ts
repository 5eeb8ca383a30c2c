/**
 * The segment rule language as the builder sees it (specs/segment-rules.md): condition kinds,
 * the operators each accepts, a starting condition per kind and the value an operator needs.
 * Operators and kinds come from the compiler's own constants (src/core/segments/rule-constants.ts).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export { RFM_CELL_NAMES } from '../../../../core/segments/rfm-cells.ts';
// The compiler's own vocabulary (pure constants, bundled into the console).
export {
  AGGREGATE_FNS,
  BUILTIN_TRAITS,
  type BuiltinTrait,
  CHANNELS,
  IDENTIFIER_OPS,
  NUMBER_OPS,
  TIME_BUILTIN_OPS,
  TIME_BUILTINS,
  VALUE_OPS,
  type ValueOp,
} from '../../../../core/segments/rule-constants.ts';

import {
  BUILTIN_TRAITS,
  type BuiltinTrait,
  IDENTIFIER_OPS,
  NUMBER_OPS,
  TIME_BUILTIN_OPS,
  TIME_BUILTINS,
  VALUE_OPS,
} from '../../../../core/segments/rule-constants.ts';

/** What a condition is, as the builder offers it (`didNot` is `did` with count = 0). */
export const CONDITION_KINDS = [
  'trait',
  'builtin',
  'did',
  'aggregate',
  'sequence',
  'rfm',
  'segment',
  'reachable',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];
/** Entries of the "add condition" menu. */
export const NEW_CONDITIONS = [
  'trait',
  'builtin',
  'did',
  'didNot',
  'aggregate',
  'sequence',
  'rfm',
  'segment',
  'reachable',
] as const;
export type NewCondition = (typeof NEW_CONDITIONS)[number];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kind of a condition object, in the compiler's order of recognition; null when none. */
export function conditionKind(v: unknown): ConditionKind | null {
  if (!isObject(v)) return null;
  if ('trait' in v) return (BUILTIN_TRAITS as readonly Json[]).includes(v.trait) ? 'builtin' : 'trait';
  if ('aggregate' in v) return 'aggregate';
  if ('event' in v) return 'did';
  if ('sequence' in v) return 'sequence';
  if ('rfm' in v) return 'rfm';
  if ('segment' in v) return 'segment';
  if ('reachable' in v) return 'reachable';
  return null;
}

/** A fresh condition of each menu entry: valid in shape, with names left for the user to fill. */
export function newCondition(kind: NewCondition): JsonObject {
  switch (kind) {
    case 'trait':
      return { trait: '', op: 'eq', value: '' };
    case 'builtin':
      return { trait: '$lastSeen', op: 'within_last', value: { days: 30 } };
    case 'did':
      return { event: '', count: { op: 'gte', value: 1 }, within: { days: 30 } };
    case 'didNot':
      return { event: '', count: { op: 'eq', value: 0 }, within: { days: 30 } };
    case 'aggregate':
      return {
        event: 'Order Completed',
        aggregate: { fn: 'sum', property: 'revenue' },
        op: 'gt',
        value: 0,
        within: { days: 90 },
      };
    case 'sequence':
      return { sequence: [{ event: '' }, { event: '' }], within: { days: 7 } };
    case 'rfm':
      return { rfm: 'champions' };
    case 'segment':
      return { segment: '' };
    case 'reachable':
      return { reachable: 'email' };
  }
}

/** The operators a trait accepts: any for custom traits, fewer for built-ins. */
export function traitOps(trait: string): readonly string[] {
  if ((TIME_BUILTINS as readonly string[]).includes(trait)) return TIME_BUILTIN_OPS;
  if (trait === '$eventCount') return NUMBER_OPS;
  if (trait === '$identifiers') return IDENTIFIER_OPS;
  return VALUE_OPS;
}

/** What an operator's `value` looks like. */
export type ValueShape = 'none' | 'scalar' | 'number' | 'text' | 'list' | 'range' | 'time' | 'relative';

export function valueShape(op: string): ValueShape {
  switch (op) {
    case 'exists':
    case 'not_exists':
      return 'none';
    case 'eq':
    case 'neq':
      return 'scalar';
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return 'number';
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with':
      return 'text';
    case 'in':
    case 'not_in':
      return 'list';
    case 'between':
      return 'range';
    case 'before':
    case 'after':
      return 'time';
    default:
      return 'relative';
  }
}

/** `{days:N}` / `{hours:N}` as unit and amount; null when `v` is not one. */
export function relativeOf(v: unknown): { unit: 'days' | 'hours'; n: number } | null {
  if (!isObject(v)) return null;
  if (typeof v.days === 'number') return { unit: 'days', n: v.days };
  if (typeof v.hours === 'number') return { unit: 'hours', n: v.hours };
  return null;
}

const scalarOf = (v: unknown): string | number | boolean | null =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;

/**
 * The value to keep when the operator changes to `op`: the old one when it fits the new shape
 * (or converts plainly), else a default. `undefined` means the condition has no `value`.
 */
export function valueForOp(op: string, old: unknown, numeric = false): Json | undefined {
  const s = scalarOf(old);
  const first = Array.isArray(old) ? scalarOf(old[0]) : s;
  const asNumber = (v: unknown) => (typeof v === 'number' ? v : Number(v) || 0);
  switch (valueShape(op)) {
    case 'none':
      return undefined;
    case 'scalar':
      return first ?? (numeric ? 0 : '');
    case 'number':
      return asNumber(first);
    case 'text':
      return first === null ? '' : String(first);
    case 'list':
      if (Array.isArray(old)) return old as Json[];
      return first === null || first === '' ? [] : [first];
    case 'range':
      if (Array.isArray(old) && old.length === 2) return old as Json[];
      return numeric || typeof first === 'number' ? [asNumber(first), asNumber(first)] : ['', ''];
    case 'time':
      if (relativeOf(old)) return old as Json;
      return typeof old === 'string' && !Number.isNaN(Date.parse(old)) ? old : { days: 30 };
    case 'relative':
      return relativeOf(old) ? (old as Json) : { days: 30 };
  }
}

/** A predicate object (`{op, value}` plus other keys) with its operator changed. */
export function withOp(pred: JsonObject, op: string, numeric = false): JsonObject {
  const value = valueForOp(op, pred.value, numeric);
  const { value: _old, ...rest } = pred;
  return value === undefined ? { ...rest, op } : { ...rest, op, value };
}

/** A built-in trait condition switched to another built-in: a fitting operator and value. */
export function withBuiltin(cond: JsonObject, trait: BuiltinTrait): JsonObject {
  const ops = traitOps(trait);
  const op = ops.includes(String(cond.op)) ? String(cond.op) : ops[0];
  return withOp({ ...cond, trait }, op, trait === '$eventCount');
}

/** Text typed into an `in` list or `eq` box as the JSON value: numbers and booleans on request. */
export function parseScalar(text: string, type: 'string' | 'number' | 'boolean'): string | number | boolean {
  if (type === 'number') return Number(text) || 0;
  if (type === 'boolean') return text === 'true';
  return text;
}

export function scalarType(v: unknown): 'string' | 'number' | 'boolean' {
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
}

import { raw, type SqlFragment } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { perProfileNumberSql, propertyFiltersSql } from '../event-aggregate-sql.ts';
import type { AggregateCondition } from '../rule-schema.ts';
import { jsonValue, numericProperty } from '../value-sql.ts';

/**
 * An aggregate of a property over the matching events, compared with the operator.
 * count: matching events (with `property`: those where it is present and non-null), 0 when none;
 * count_distinct: distinct present values (1 and 1.0 are one value, "1" another), 0 when none;
 * sum: numeric values, non-numbers ignored, 0 when none; avg/min/max: numeric values, and a
 * profile without any has no value and never matches.
 */
export function compileAggregate(node: AggregateCondition, _path: string, state: CompileState): SqlFragment {
  const { fn, property } = node.aggregate;
  const rows = propertyFiltersSql(node.where, state.now);
  const spec = { filter: { event: node.event, within: node.within }, rows, pred: node };
  if (property === undefined)
    return perProfileNumberSql(state, { ...spec, value: { fn: 'count', args: [] }, valueWhenNone: 0 });
  const v = jsonValue(raw('properties'), property);
  const n = numericProperty(property);
  switch (fn) {
    case 'count':
      return perProfileNumberSql(state, {
        ...spec,
        value: { fn: 'countIf', args: [v.present] },
        valueWhenNone: 0,
      });
    case 'count_distinct':
      return perProfileNumberSql(state, {
        ...spec,
        value: { fn: 'uniqExactIf', args: [v.distinctKey, v.present] },
        valueWhenNone: 0,
      });
    case 'sum':
      return perProfileNumberSql(state, {
        ...spec,
        value: { fn: 'sumIf', args: [n.num, n.isNumber] },
        valueWhenNone: 0,
      });
    case 'avg':
    case 'min':
    case 'max':
      return perProfileNumberSql(state, {
        ...spec,
        rows: [...rows, n.isNumber],
        value: { fn, args: [n.num] },
      });
  }
}

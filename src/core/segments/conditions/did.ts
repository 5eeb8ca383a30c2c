import type { SqlFragment } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { perProfileNumberSql, propertyFiltersSql } from '../event-aggregate-sql.ts';
import type { DidCondition, NumberPredicate } from '../rule-schema.ts';

const AT_LEAST_ONCE: NumberPredicate = { op: 'gte', value: 1 };

/**
 * Did (or did not) do an event: the number of matching events (name, window, property filters)
 * satisfies `count` (default ≥ 1). A count that 0 satisfies includes profiles with no events.
 */
export function compileDid(node: DidCondition, _path: string, state: CompileState): SqlFragment {
  return perProfileNumberSql(state, {
    filter: { event: node.event, within: node.within },
    rows: propertyFiltersSql(node.where, state.now),
    value: { fn: 'count', args: [] },
    pred: node.count ?? AT_LEAST_ONCE,
    valueWhenNone: 0,
  });
}

import { param, raw, type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { perProfileNumberSql } from '../event-aggregate-sql.ts';
import type { BuiltinCondition } from '../rule-schema.ts';
import { timeSql } from '../value-sql.ts';

/** `identifier_types` (Array(String)) tested with the $identifiers operators. */
function identifiersSql(node: Extract<BuiltinCondition, { trait: '$identifiers' }>): SqlFragment {
  switch (node.op) {
    case 'exists':
      return sql`notEmpty(identifier_types)`;
    case 'not_exists':
      return sql`empty(identifier_types)`;
    case 'contains':
      return sql`has(identifier_types, ${param(node.value, 'String')})`;
    case 'not_contains':
      return sql`(NOT has(identifier_types, ${param(node.value, 'String')}))`;
    case 'in':
      return sql`hasAny(identifier_types, ${param(node.value, 'Array(String)')})`;
    case 'not_in':
      return sql`(NOT hasAny(identifier_types, ${param(node.value, 'Array(String)')}))`;
  }
}

/**
 * Built-in traits: `$firstSeen` / `$lastSeen` (profile columns, time operators), `$eventCount`
 * (all events of the profile, all time; 0 without events) and `$identifiers` (identifier types
 * the profile has: `contains "email"` = has an email identifier; `in` = has any of them).
 */
export function compileBuiltin(node: BuiltinCondition, _path: string, state: CompileState): SqlFragment {
  switch (node.trait) {
    case '$firstSeen':
      return timeSql(raw('first_seen'), node, state.now);
    case '$lastSeen':
      return timeSql(raw('last_seen'), node, state.now);
    case '$eventCount':
      return perProfileNumberSql(state, {
        filter: {},
        rows: [],
        value: { fn: 'count', args: [] },
        pred: node,
        valueWhenNone: 0,
      });
    case '$identifiers':
      return identifiersSql(node);
  }
}

import { raw, type SqlFragment } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import type { TraitCondition } from '../rule-schema.ts';
import { valuePredicateSql } from '../value-sql.ts';

/** A profile trait (dots reach nested objects) compared with the operator. */
export function compileTrait(node: TraitCondition, _path: string, state: CompileState): SqlFragment {
  return valuePredicateSql(raw('traits'), node.trait, node, state.now);
}

import { join, type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import type { AndGroup, NotGroup, OrGroup } from '../rule-schema.ts';

export function compileAnd(node: AndGroup, path: string, state: CompileState): SqlFragment {
  const parts = node.and.map((child, i) => state.compile(child, `${path}/and/${i}`, state));
  return sql`(${join(parts, ' AND ')})`;
}

export function compileOr(node: OrGroup, path: string, state: CompileState): SqlFragment {
  const parts = node.or.map((child, i) => state.compile(child, `${path}/or/${i}`, state));
  return sql`(${join(parts, ' OR ')})`;
}

/** The complement within the universe: every part compiles to 0/1, never NULL. */
export function compileNot(node: NotGroup, path: string, state: CompileState): SqlFragment {
  return sql`(NOT ${state.compile(node.not, `${path}/not`, state)})`;
}

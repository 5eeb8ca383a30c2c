import { invalid, ValidationError } from '../../errors.ts';
import { type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import type { Rule, SegmentCondition } from '../rule-schema.ts';
import { validateRule } from '../validate-rule.ts';

function validated(id: string, rule: unknown, errorPath: string): Rule {
  try {
    return validateRule(rule, `/segments/${id}/rule`);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const first = e.details[0];
    throw invalid(
      errorPath,
      `segment ${id} has an invalid rule: ${first ? `${first.path}: ${first.message}` : e.message}`,
    );
  }
}

/**
 * Membership of another segment: its rule is expanded in place (resolved through the
 * context). A reference back into the chain being expanded is a cycle, reported at the path of
 * the reference in the rule being compiled.
 */
export function compileSegment(node: SegmentCondition, path: string, state: CompileState): SqlFragment {
  const errorPath = state.refPath ?? `${path}/segment`;
  const id = node.segment;
  if (!state.resolveSegment)
    throw invalid(errorPath, 'segment references cannot be resolved in this context');
  if (state.chain.includes(id)) {
    throw invalid(errorPath, `segment reference cycle: ${[...state.chain, id].join(' → ')}`);
  }
  const target = state.resolveSegment(id);
  if (target === undefined) throw invalid(errorPath, `segment ${id} not found`);
  const rule = validated(id, target, errorPath);
  const inner: CompileState = { ...state, chain: [...state.chain, id], refPath: errorPath };
  return sql`(${state.compile(rule, `/segments/${id}/rule`, inner)})`;
}

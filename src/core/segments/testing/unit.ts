/** Helpers of the unit tests: compile a rule's filter, collect validation paths. */
import { ValidationError } from '../../errors.ts';
import { type CompiledSql, compile } from '../../sql.ts';
import { type RuleContext, ruleFilterSql } from '../compile-rule.ts';
import type { Rule } from '../rule-schema.ts';
import { validateRule } from '../validate-rule.ts';

export const NOW = new Date('2025-06-15T12:00:00Z');
export const CTX: RuleContext = { workspaceId: 'ws_unit', now: NOW };

/** The compiled member filter of `rule` (parameters numbered from p0). */
export function filterOf(rule: unknown, ctx: RuleContext = CTX): CompiledSql & { values: unknown[] } {
  const compiled = compile(ruleFilterSql(rule as Rule, ctx));
  return { ...compiled, values: Object.values(compiled.params) };
}

/** The `[path, message]` details of the ValidationError `fn` throws (fails if it does not). */
export function errorsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.details;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

/** Paths of the problems `validateRule` reports for `input`. */
export function pathsOf(input: unknown): string[] {
  return errorsOf(() => validateRule(input)).map((d) => d.path);
}

import { invalid } from '../../errors.ts';
import type { SqlFragment } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { MAX_EXPANDED_CONDITIONS } from '../rule-constants.ts';
import { classifyRule, type Rule } from '../rule-schema.ts';
import { compileAggregate } from './aggregate.ts';
import { compileBuiltin } from './builtin.ts';
import { compileDid } from './did.ts';
import { compileAnd, compileNot, compileOr } from './group.ts';
import { compileReachable } from './reachable.ts';
import { compileRfm } from './rfm.ts';
import { compileSegment } from './segment.ts';
import { compileSequence } from './sequence.ts';
import { compileTrait } from './trait.ts';

function countCondition(path: string, state: CompileState): void {
  state.budget.conditions += 1;
  if (state.budget.conditions > MAX_EXPANDED_CONDITIONS) {
    throw invalid(
      state.refPath ?? path,
      `with referenced segments expanded the rule has more than ${MAX_EXPANDED_CONDITIONS} conditions`,
    );
  }
}

/** Compiles one rule node to a 0/1 expression over a row of the profile universe. */
export function compileNode(rule: Rule, path: string, state: CompileState): SqlFragment {
  const c = classifyRule(rule);
  if (c.kind !== 'and' && c.kind !== 'or' && c.kind !== 'not') countCondition(path, state);
  switch (c.kind) {
    case 'and':
      return compileAnd(c.node, path, state);
    case 'or':
      return compileOr(c.node, path, state);
    case 'not':
      return compileNot(c.node, path, state);
    case 'trait':
      return compileTrait(c.node, path, state);
    case 'builtin':
      return compileBuiltin(c.node, path, state);
    case 'did':
      return compileDid(c.node, path, state);
    case 'aggregate':
      return compileAggregate(c.node, path, state);
    case 'sequence':
      return compileSequence(c.node, path, state);
    case 'rfm':
      return compileRfm(c.node, path, state);
    case 'segment':
      return compileSegment(c.node, path, state);
    case 'reachable':
      return compileReachable(c.node, path, state);
    default: {
      const unknown: never = c;
      throw new Error(`unknown rule kind: ${JSON.stringify(unknown)}`);
    }
  }
}

import type { SqlFragment } from '../sql.ts';
import type { Rule } from './rule-schema.ts';

/** What every condition compiler reads. Built once per `compileRule` call. */
export interface CompileState {
  workspaceId: string;
  /** Evaluation instant, ms since the epoch. */
  now: number;
  purchaseEvent: string;
  revenueProperty: string;
  resolveSegment?: (id: string) => Rule | undefined;
  /** Segment ids being expanded, outermost first (cycle detection). */
  chain: readonly string[];
  /** Path of the outermost segment reference being expanded: errors inside point there. */
  refPath?: string;
  /** Conditions compiled so far, referenced segments included. */
  budget: { conditions: number };
  /** Set when a condition reads events of any name (see `settingsOf` in compile-rule.ts). */
  reads: { anyEvent: boolean };
  /** Compiles a child rule (the dispatcher), so condition files do not import it. */
  compile(rule: Rule, path: string, state: CompileState): SqlFragment;
}

/**
 * What a rule depends on, for real-time entry: whether one profile's membership can be decided
 * from that profile's own rows (incremental), and which ingested events can change it.
 */
import { classifyRule, type Rule } from '../core/segments/rule-schema.ts';

export interface RuleDependencies {
  /**
   * True when membership of a profile depends only on its own profile row and events, so it
   * can be re-evaluated for the profiles an ingested batch touched. RFM scores are relative
   * to every buyer of the workspace: a rule using them is recomputed on schedule only.
   */
  incremental: boolean;
  /** Event names whose arrival can change membership; 'all' when any event can (traits, $lastSeen, …). */
  events: 'all' | Set<string>;
}

/** A segment reference found in a rule, with the JSON path of the node. */
export interface SegmentRef {
  id: string;
  path: string;
}

/** Every `{segment}` condition of a rule (not expanded), with its path. */
export function segmentRefs(rule: Rule, path = '/rule'): SegmentRef[] {
  const c = classifyRule(rule);
  switch (c.kind) {
    case 'and':
      return c.node.and.flatMap((r, i) => segmentRefs(r, `${path}/and/${i}`));
    case 'or':
      return c.node.or.flatMap((r, i) => segmentRefs(r, `${path}/or/${i}`));
    case 'not':
      return segmentRefs(c.node.not, `${path}/not`);
    case 'segment':
      return [{ id: c.node.segment, path: `${path}/segment` }];
    default:
      return [];
  }
}

function eventsOf(names: (string | null)[]): 'all' | Set<string> {
  return names.some((n) => n === null) ? 'all' : new Set(names as string[]);
}

function union(a: 'all' | Set<string>, b: 'all' | Set<string>): 'all' | Set<string> {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

function combine(parts: RuleDependencies[]): RuleDependencies {
  return parts.reduce<RuleDependencies>(
    (acc, d) => ({ incremental: acc.incremental && d.incremental, events: union(acc.events, d.events) }),
    { incremental: true, events: new Set() },
  );
}

/**
 * Dependencies of a rule with its segment references expanded through `resolve` (an unknown
 * reference or a cycle makes the rule non-incremental: it cannot be evaluated anyway).
 */
export function ruleDependencies(
  rule: Rule,
  resolve: (id: string) => Rule | undefined,
  chain: readonly string[] = [],
): RuleDependencies {
  const c = classifyRule(rule);
  switch (c.kind) {
    case 'and':
      return combine(c.node.and.map((r) => ruleDependencies(r, resolve, chain)));
    case 'or':
      return combine(c.node.or.map((r) => ruleDependencies(r, resolve, chain)));
    case 'not':
      return ruleDependencies(c.node.not, resolve, chain);
    case 'trait':
    case 'builtin':
    case 'reachable':
      // Traits and identifiers arrive with any call; $lastSeen and $eventCount move with every event.
      return { incremental: true, events: 'all' };
    case 'did':
    case 'aggregate':
      return { incremental: true, events: eventsOf([c.node.event]) };
    case 'sequence':
      return { incremental: true, events: eventsOf(c.node.sequence.map((s) => s.event)) };
    case 'rfm':
      return { incremental: false, events: 'all' };
    case 'segment': {
      const id = c.node.segment;
      const target = chain.includes(id) ? undefined : resolve(id);
      if (target === undefined) return { incremental: false, events: 'all' };
      return ruleDependencies(target, resolve, [...chain, id]);
    }
    default: {
      const unknown: never = c;
      throw new Error(`unknown rule kind: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Whether an ingested event can change a membership with these dependencies. Identify and alias
 * calls can merge profiles and change traits, so they always count.
 */
export function eventMatters(deps: RuleDependencies, type: string, event: string): boolean {
  if (deps.events === 'all' || type === 'identify' || type === 'alias') return true;
  return deps.events.has(event);
}

import type { Rule } from '../core/segments/rule-schema.ts';
import type { SegmentView } from './contract.ts';
import type { RuleMap } from './evaluation-sql.ts';
import { ruleDependencies } from './rule-analysis.ts';
import { scheduleFromText, scheduleValue, staleness } from './schedule.ts';
import type { SegmentRow } from './schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Whether real-time entry evaluates the rule (false for a stored rule that no longer parses). */
function isIncremental(rule: Rule, rules: RuleMap): boolean {
  try {
    return ruleDependencies(rule, (id) => rules.get(id) as Rule | undefined).incremental;
  } catch {
    return false;
  }
}

/** A stored segment as the API shows it, with its freshness at `now`. */
export function segmentView(row: SegmentRow, rules: RuleMap, now = Date.now()): SegmentView {
  const dynamic = row.type === 'dynamic' && row.rule !== null;
  const stale = dynamic
    ? staleness({
        schedule: scheduleFromText(row.schedule),
        lastComputedAt: row.lastComputedAt?.getTime() ?? null,
        createdAt: row.createdAt.getTime(),
        lastError: row.lastError,
        now,
      })
    : null;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type === 'static' ? 'static' : 'dynamic',
    rule: row.rule,
    schedule: scheduleValue(row.schedule),
    tags: row.tags,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastSize: row.lastSize,
    lastComputedAt: iso(row.lastComputedAt),
    lastDurationMs: row.lastDurationMs,
    lastError: row.lastError,
    stale: stale !== null,
    staleReason: stale,
    nextRunAt: dynamic ? iso(row.nextRunAt) : null,
    realtime: dynamic && isIncremental(row.rule as Rule, rules),
  };
}

import { idIn, join, param, raw, type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { propertyFiltersSql } from '../event-aggregate-sql.ts';
import type { SequenceCondition, SequenceStep } from '../rule-schema.ts';
import { perProfileSql } from '../sql-sources.ts';

function stepSql(step: SequenceStep, now: number): SqlFragment {
  const parts = propertyFiltersSql(step.where, now);
  if (step.event !== null) parts.unshift(sql`event = ${param(step.event, 'String')}`);
  return parts.length > 0 ? sql`(${join(parts, ' AND ')})` : sql`1`;
}

/**
 * Did the steps in order: distinct events e1..en with strictly increasing timestamps, ei
 * matching step i, all inside `within` (no `within` = all time).
 *
 * Not windowFunnel: with equal timestamps it can both let one event count for two steps and
 * miss valid chains. Instead a profile's matching events, sorted by time, are folded greedily
 * (acc = (steps done, time of the last one)); taking the earliest event that matches the next
 * step at a later time is optimal, so the fold finds a chain whenever one exists.
 */
export function compileSequence(node: SequenceCondition, _path: string, state: CompileState): SqlFragment {
  const steps = node.sequence.map((step) => stepSql(step, state.now));
  const total = param(steps.length, 'UInt64');
  const flags = sql`[${join(
    steps.map((s) => sql`toUInt8(${s})`),
    ', ',
  )}]`;
  const row = sql`(toUnixTimestamp64Milli(timestamp), ${flags})`;
  const events = sql`arraySort(x -> x.1, evs)`;
  const fold = sql`arrayFold((acc, x) -> if(acc.1 < ${total} AND x.1 > acc.2 AND x.2[acc.1 + 1] = 1, (acc.1 + 1, x.1), acc), ${events}, (toUInt64(0), toInt64(-9000000000000000)))`;
  const profiles = perProfileSql(
    state,
    { within: node.within },
    [sql`(${join(steps, ' OR ')})`],
    { evs: { fn: 'groupArray', args: [row] } },
    sql`${fold}.1 = ${total}`,
  );
  return idIn(raw('profile_id'), 'pid', profiles);
}

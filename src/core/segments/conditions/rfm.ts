import { idIn, join, param, raw, type SqlFragment, sql } from '../../sql.ts';
import type { CompileState } from '../compile-state.ts';
import { RFM_CELLS, type ScoreRange } from '../rfm-cells.ts';
import type { RfmCondition, RfmScores } from '../rule-schema.ts';
import { perProfileSql, universeSql } from '../sql-sources.ts';
import { numericProperty } from '../value-sql.ts';

/** Score 1..5 of each profile: 1 + ⌊5 × (profiles ranked strictly before it) / profiles⌋. */
function quintile(order: string): SqlFragment {
  return sql`1 + intDiv(5 * (rank() OVER (ORDER BY ${raw(order)}) - 1), count() OVER ())`;
}

function scoresOf(rfm: RfmCondition['rfm']): RfmScores {
  return typeof rfm === 'string' ? RFM_CELLS[rfm] : rfm;
}

/**
 * RFM quintiles over the workspace's buyers: the live profiles with at least one purchase event
 * at or before now. Recency = whole days since the last purchase (fewer = better), frequency =
 * purchases, monetary = sum of the numeric revenue property (non-numbers ignored). Equal values
 * share a score. Profiles that never bought have no scores and never match.
 */
export function compileRfm(node: RfmCondition, _path: string, state: CompileState): SqlFragment {
  const revenue = numericProperty(state.revenueProperty);
  const perBuyer = perProfileSql(
    state,
    { event: state.purchaseEvent, until: state.now },
    [],
    {
      last_at: { fn: 'max', args: [sql`timestamp`] },
      frequency: { fn: 'count', args: [] },
      monetary: { fn: 'sumIf', args: [revenue.num, revenue.isNumber] },
    },
    idIn(raw('pid'), 'profile_id', universeSql(state)),
  );
  const buyers = sql`SELECT pid, intDiv(${param(state.now, 'Int64')} - toUnixTimestamp64Milli(last_at), 86400000) AS recency, frequency, monetary FROM (${perBuyer})`;
  const scores = scoresOf(node.rfm);
  // Only the scores the cell names: each is a window over every buyer (a sort of all of them).
  const used = (['r', 'f', 'm'] as const).filter((k) => scores[k] !== undefined);
  const order = { r: 'recency DESC', f: 'frequency', m: 'monetary' } as const;
  const scored = sql`SELECT pid, ${join(
    used.map((k) => sql`${quintile(order[k])} AS ${raw(k)}`),
    ', ',
  )} FROM (${buyers})`;
  const ranges = used.map((k) => {
    const [lo, hi] = scores[k] as ScoreRange;
    return sql`${raw(k)} BETWEEN ${param(lo, 'UInt8')} AND ${param(hi, 'UInt8')}`;
  });
  return idIn(raw('profile_id'), 'pid', sql`SELECT pid FROM (${scored}) WHERE ${join(ranges, ' AND ')}`);
}

/**
 * Expressions over one stored event row `e` that several reports share: the numeric revenue,
 * the campaign of a touch and the channel names built from it.
 */
import { param, type SqlFragment, sql } from '../sql.ts';
import { numericSql } from './filters.ts';

/**
 * The numeric value of `property`: the materialised `revenue` column for `revenue`, else read the
 * same way (JSONExtractFloat: JSON numbers and numeric strings; anything else 0).
 */
export function revenueSql(property: string): SqlFragment {
  return property === 'revenue' ? sql`e.revenue` : numericSql(sql`e.properties`, property);
}

/**
 * The campaign an event carries: `context.campaign` when it has a source, else the `utm_source`,
 * `utm_medium`, `utm_campaign` properties. Source '' = none.
 */
export function campaignSql() {
  const ctx = (k: string) =>
    sql`if(position(e.context, 'campaign') > 0, JSONExtractString(e.context, 'campaign', ${param(k, 'String')}), '')`;
  const utm = (k: string) =>
    sql`if(position(e.properties, 'utm_') > 0, JSONExtractString(e.properties, ${param(`utm_${k}`, 'String')}), '')`;
  const fromContext = sql`${ctx('source')} != ''`;
  return {
    source: sql`if(${fromContext}, ${ctx('source')}, ${utm('source')})`,
    medium: sql`if(${fromContext}, ${ctx('medium')}, ${utm('medium')})`,
    name: sql`if(${fromContext}, ${ctx('name')}, ${utm('campaign')})`,
  };
}

export type ChannelKind = 'source' | 'source_medium' | 'campaign';

/** Channel name from (source, medium, campaign) expressions; empty parts read "(none)". */
export function channelSql(
  kind: ChannelKind,
  source: SqlFragment,
  medium: SqlFragment,
  campaign: SqlFragment,
) {
  const none = (x: SqlFragment) => sql`if(${x} = '', '(none)', ${x})`;
  if (kind === 'source') return source;
  if (kind === 'source_medium') return sql`concat(${source}, ' / ', ${none(medium)})`;
  return none(campaign);
}

/** The channel of an event's campaign; '' when it carries none. */
export function eventChannelSql(kind: ChannelKind): SqlFragment {
  const c = campaignSql();
  return sql`if(${c.source} = '', '', ${channelSql(kind, c.source, c.medium, c.name)})`;
}

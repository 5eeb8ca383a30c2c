/** Brute-force attribution (see reference-scope.ts). */
import type { Dataset } from './dataset.ts';
import { campaignOf, channelName } from './reference-revenue.ts';
import {
  byProfile,
  numeric,
  type RefCommon,
  ratio,
  scope,
  valueAt,
  withBreakdown,
} from './reference-scope.ts';

const DAY = 86_400_000;
const GAP = 30 * 60_000;
const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export interface RefAttributionSpec extends RefCommon {
  conversionEvent?: string;
  revenueProperty?: string;
  model?: 'first_touch' | 'last_touch' | 'linear' | 'time_decay' | 'position_based';
  lookbackDays?: number;
  channel?: 'source' | 'source_medium' | 'campaign';
}

export interface RefSpend {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  cost: number;
}

function weights(model: string, conversion: number, touches: number[]): number[] {
  const n = touches.length;
  switch (model) {
    case 'first_touch':
      return touches.map((_, i) => (i === 0 ? 1 : 0));
    case 'last_touch':
      return touches.map((_, i) => (i === n - 1 ? 1 : 0));
    case 'linear':
      return touches.map(() => 1 / n);
    case 'time_decay': {
      const raw = touches.map((t) => 2 ** (-(conversion - t) / (7 * DAY)));
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((w) => w / total);
    }
    default:
      if (n === 1) return [1];
      if (n === 2) return [0.5, 0.5];
      return touches.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
  }
}

/** `spend`: the rows as stored (the latest upload of each key). */
export function refAttribution(ds: Dataset, ws: string, spec: RefAttributionSpec, spend: RefSpend[]) {
  const s = scope(ds, ws, spec);
  const conversionEvent = spec.conversionEvent ?? 'Order Completed';
  const prop = spec.revenueProperty ?? 'revenue';
  const model = spec.model ?? 'last_touch';
  const lookback = (spec.lookbackDays ?? 30) * DAY;
  const kind = spec.channel ?? 'source';
  const credits = new Map<string, { channel: string; w: number; rev: number }[]>();
  for (const [pid, evs] of byProfile(s.events, s.from - lookback - GAP, s.to)) {
    const rows = evs
      .map((e) => {
        const [src, med, name] = campaignOf(e);
        return { e, ch: src === '' ? '' : channelName(kind, src, med, name) };
      })
      .sort((a, b) => a.e.ts - b.e.ts || (a.ch === '' ? 1 : 0) - (b.ch === '' ? 1 : 0) || bytes(a.ch, b.ch));
    const touches = rows.filter(
      (x, i) => x.ch !== '' && x.e.ts >= s.from - lookback && (i === 0 || x.e.ts - rows[i - 1].e.ts > GAP),
    );
    const conversions = rows.filter((x) => x.e.event === conversionEvent && x.e.ts >= s.from);
    if (conversions.length === 0) continue;
    const out: { channel: string; w: number; rev: number }[] = [];
    for (const c of conversions) {
      const rev = numeric(valueAt(c.e.properties, prop));
      const el = touches.filter((t) => t.e.ts >= c.e.ts - lookback && t.e.ts <= c.e.ts);
      if (el.length === 0) {
        out.push({ channel: '(none)', w: 1, rev });
        continue;
      }
      const ws2 = weights(
        model,
        c.e.ts,
        el.map((t) => t.e.ts),
      );
      el.forEach((t, i) => {
        if (ws2[i] > 0) out.push({ channel: t.ch, w: ws2[i], rev: ws2[i] * rev });
      });
    }
    credits.set(pid, out);
  }
  const spent = new Map<string, number>();
  for (const r of spend) {
    const at = Date.parse(`${r.date}T00:00:00Z`);
    if (at < s.from || at >= s.to) continue;
    const ch = channelName(kind, r.source, r.medium, r.campaign);
    spent.set(ch, (spent.get(ch) ?? 0) + r.cost);
  }
  let total = true;
  return withBreakdown(s, credits.keys(), (pids) => {
    const withSpend = total;
    total = false;
    const channels = new Map<string, { conversions: number; revenue: number }>();
    for (const pid of pids) {
      for (const c of credits.get(pid)!) {
        const x = channels.get(c.channel) ?? { conversions: 0, revenue: 0 };
        x.conversions += c.w;
        x.revenue += c.rev;
        channels.set(c.channel, x);
      }
    }
    if (withSpend)
      for (const ch of spent.keys()) if (!channels.has(ch)) channels.set(ch, { conversions: 0, revenue: 0 });
    return {
      rows: [...channels].map(([channel, { conversions, revenue }]) => {
        if (!withSpend)
          return { channel, spend: null, conversions, revenue, cac: null, romi: null, roas: null };
        const cost = spent.get(channel) ?? 0;
        return {
          channel,
          spend: cost,
          conversions,
          revenue,
          cac: ratio(cost, conversions),
          romi: ratio(revenue - cost, cost),
          roas: ratio(revenue, cost),
        };
      }),
    };
  });
}

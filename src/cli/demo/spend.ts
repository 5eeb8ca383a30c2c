/**
 * Ad spend per paid campaign per day, sized to the clicks the generated people make: the
 * analytics issue ingests these rows (`POST /api/v1/marketing/spend`) to compute CAC and ROMI.
 */
import { PAID_CAMPAIGNS } from './catalog.ts';
import { DAY_MS } from './people.ts';
import { createRng, hash32 } from './random.ts';

/** One row of specs/reports.md's spend shape; `cost` in roubles. */
export interface SpendRow {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  source: string;
  medium: string;
  campaign: string;
  cost: number;
  impressions: number;
  clicks: number;
}

/** Share of visits that land on each product (most people arrive at the shop). */
const PRODUCT_SHARE = { shop: 0.72, media: 0.28 };
/** Weight of the unpaid first touches (organic, direct, referral) next to the campaigns' (plan.ts). */
const UNPAID_WEIGHT = 43;
/** Campaign visits of returning people, per person per day, for the whole product. */
const RETURNING_RATE = { shop: 0.0025, media: 0.0055 };

type PaidCampaign = (typeof PAID_CAMPAIGNS)[number];

/**
 * Campaign visits per day the generator makes for `profiles` people over `days` days: first
 * touches of new people (70% of people, spread over the window) plus returning visits. Fitted to
 * the generator's output; close, not exact.
 */
export function expectedTouchesPerDay(c: PaidCampaign, profiles: number, days: number): number {
  if (c.weight === 0) return profiles * (0.016 / days + 0.0015); // retargeting of returning visitors
  const share = PRODUCT_SHARE[c.product];
  const weights = PAID_CAMPAIGNS.filter((p) => p.product === c.product).reduce((sum, p) => sum + p.weight, 0);
  const arrivals = 0.7 * 1.1 * share * (c.weight / (weights + UNPAID_WEIGHT));
  const returning = RETURNING_RATE[c.product] * share * (c.weight / weights);
  return profiles * (arrivals / days + returning);
}

/**
 * Ad clicks per tracked campaign visit: most clicks bounce before anything is tracked, and the
 * weaker a campaign's audience, the more do.
 */
function clicksPerVisit(c: PaidCampaign): number {
  return 20 / c.quality;
}

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `days` UTC days ending with today's date, one row per paid campaign per day. Deterministic for
 * (days, seed, now, profiles). Clicks exceed tracked visits (not every click loads the site),
 * weekends are quieter.
 */
export function generateSpend(
  days: number,
  seed: number,
  opts: { now?: Date | number; profiles?: number } = {},
): SpendRow[] {
  const now = Number(opts.now ?? Date.now());
  const profiles = opts.profiles ?? 10_000;
  const rng = createRng(hash32(seed, 0x5be7d));
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const rows: SpendRow[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const day = today - d * DAY_MS;
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.85 : 1;
    for (const c of PAID_CAMPAIGNS) {
      const noise = weekend * rng.real(0.8, 1.2);
      const clicks = Math.round(expectedTouchesPerDay(c, profiles, days) * clicksPerVisit(c) * noise);
      const ctr = (c.ctr ?? 0.01) * rng.real(0.8, 1.2);
      const cpc = (c.cpc ?? 0) * rng.real(0.85, 1.15);
      rows.push({
        date: utcDate(day),
        source: c.source,
        medium: c.medium,
        campaign: c.name,
        cost: Math.round(clicks * cpc * 100) / 100,
        impressions: Math.round(clicks / ctr),
        clicks,
      });
    }
  }
  return rows;
}

/** The rows as CSV with a header line (no field needs quoting, but quote defensively). */
export function spendCsv(rows: readonly SpendRow[]): string {
  const header = ['date', 'source', 'medium', 'campaign', 'cost', 'impressions', 'clicks'] as const;
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = rows.map((r) => header.map((h) => cell(r[h])).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/**
 * Random but reproducible workspaces for the report tests: profiles with sessions (gaps around
 * the 30-minute limit, equal timestamps, duplicates), merges and an unmerge through
 * profile_aliases, campaign touches, orders with odd revenue values, player and subscription
 * events, events before `from`, exactly at the bounds and after `to`, late arrivals, another
 * workspace's events, profile traits (one profile deleted) and segment membership (with exits).
 */
import { mulberry32 } from '../../core/random.ts';

export type Json = Record<string, unknown>;

export interface Ev {
  ws: string;
  messageId: string;
  type: string;
  event: string;
  profileId: string;
  ts: number;
  receivedAt: number;
  properties: Json;
  traits: Json;
  context: Json;
}

export interface Alias {
  ws: string;
  profileId: string;
  survivorId: string;
  version: number;
}

export interface Profile {
  ws: string;
  profileId: string;
  traits: Json;
  deleted: 0 | 1;
  version: number;
}

export interface Member {
  ws: string;
  segmentId: string;
  profileId: string;
  isMember: 0 | 1;
  version: number;
}

export interface Dataset {
  events: Ev[];
  aliases: Alias[];
  profiles: Profile[];
  members: Member[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function rng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

export type Rng = ReturnType<typeof rng>;

const SHOP = ['Page Viewed', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];
const SOURCES = ['yandex', 'google', 'vk'];
const MEDIUMS = ['cpc', 'email', ''];
const CAMPAIGNS = ['spring', 'retarget', ''];
// Sums of these are exact in binary floating point whatever the order (RFM ranks compare them).
const REVENUES: unknown[] = [100, 12.5, 2500, '19.75', 'n/a', true, null, 0, 49.25, '7'];
const CONTENT: unknown[] = ['film-1', 'film-2', 'series-3', 42];
const PLANS = ['monthly', 'annual', 'family'];
const CITIES = ['Москва', 'Казань', 'Berlin', 'москва'];

export interface DatasetOptions {
  ws: string;
  seed: number;
  /** The middle of the data: events fall in [anchor − 45 days, anchor + 45 days]. */
  anchor: number;
  profiles?: number;
  /** Instants (a spec's from and to) that get events exactly at them and 1 ms before. */
  bounds?: number[];
}

/** A workspace's data plus a little noise in another workspace. */
export function generateDataset(o: DatasetOptions): Dataset {
  const r = rng(o.seed);
  const n = o.profiles ?? 40;
  const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const events: Ev[] = [];
  let seq = 0;
  const emit = (
    ws: string,
    profileId: string,
    ts: number,
    event: string,
    properties: Json = {},
    context: Json = {},
  ) => {
    const type = event === 'Page Viewed' ? 'page' : event === 'Identify' ? 'identify' : 'track';
    events.push({
      ws,
      messageId: `m${o.seed}-${seq++}`,
      type,
      event,
      profileId,
      ts,
      receivedAt: ts + (r.chance(0.1) ? r.int(1, 20) * DAY : r.int(0, 5000)),
      properties,
      traits: type === 'identify' ? { plan: r.pick(PLANS) } : {},
      context,
    });
  };

  for (const id of ids) {
    const sessions = r.int(0, 7);
    for (let s = 0; s < sessions; s++) {
      let t = o.anchor + r.int(-45 * 24, 45 * 24) * HOUR + r.int(0, 59) * MIN + r.int(0, 999);
      const length = r.int(1, 8);
      const touch = r.chance(0.45);
      for (let k = 0; k < length; k++) {
        const event = k === 0 ? 'Page Viewed' : r.chance(0.8) ? SHOP[Math.min(k, 4)] : r.pick(SHOP);
        const props: Json = { n: r.int(0, 5), flag: r.chance(0.5), plan: r.pick(PLANS) };
        const ctx: Json = {};
        if (k === 0 && touch) {
          const source = r.pick(SOURCES);
          if (r.chance(0.5)) {
            ctx.campaign = { source, medium: r.pick(MEDIUMS), name: r.pick(CAMPAIGNS) };
          } else {
            props.utm_source = source;
            const medium = r.pick(MEDIUMS);
            if (medium) props.utm_medium = medium;
            const campaign = r.pick(CAMPAIGNS);
            if (campaign) props.utm_campaign = campaign;
          }
        } else if (r.chance(0.05)) {
          props.utm_source = r.pick(SOURCES); // a campaign in the middle of a session is no touch
        }
        if (event === 'Order Completed') {
          const revenue = r.pick(REVENUES);
          if (revenue !== null) props.revenue = revenue;
          props.amount = r.int(1, 500);
        }
        emit(o.ws, id, t, event, props, ctx);
        if (r.chance(0.08)) emit(o.ws, id, t, event, { ...props }, ctx); // same time, another message id
        // Gaps around the session limit: some runs continue, some split.
        t += r.pick([0, 1, 5 * MIN, 29 * MIN + 59_999, 30 * MIN, 30 * MIN + 1, 2 * HOUR, 3 * DAY]);
      }
      if (r.chance(0.3)) emit(o.ws, id, t + 10 * MIN, 'Identify');
    }
    // The player: views with pauses, seeks and completions.
    const views = r.chance(0.5) ? r.int(1, 4) : 0;
    for (let v = 0; v < views; v++) {
      let t = o.anchor + r.int(-40 * 24, 40 * 24) * HOUR + r.int(0, 3_599_999);
      const content = r.pick(CONTENT);
      const base = { content_id: content, total_length: 3600 };
      let watched = 0;
      if (r.chance(0.15)) emit(o.ws, id, t - 1, 'Video Playback Paused', { ...base, watch_seconds: 5 }); // before any start
      emit(o.ws, id, t, 'Video Playback Started', { ...base, position: 0, watch_seconds: 0 });
      for (let k = r.int(0, 4); k > 0; k--) {
        t += r.pick([0, 1000, 60_000, 600_000]);
        watched += r.int(0, 900);
        const kind = r.pick(['Video Playback Paused', 'Video Playback Seek Completed']);
        const w: unknown = r.chance(0.1) ? String(watched) : r.chance(0.05) ? 'lots' : watched;
        emit(o.ws, id, t, kind, { ...base, position: watched, watch_seconds: w });
      }
      if (r.chance(0.5)) {
        t += r.pick([0, 5000, 1_800_000]);
        emit(o.ws, id, t, 'Video Playback Completed', {
          ...base,
          position: 3600,
          watch_seconds: watched + 100,
        });
      }
      if (r.chance(0.1)) emit(o.ws, id, t, 'Video Playback Started', { content_id: content }); // same ms
    }
    // Subscriptions: started, renewed, cancelled, with plan/price/period sometimes missing.
    if (r.chance(0.4)) {
      let t = o.anchor + r.int(-60, 30) * DAY + r.int(0, DAY - 1);
      const plan = r.pick(PLANS);
      const price = plan === 'annual' ? 3990 : r.pick([399, 599]);
      const period = plan === 'annual' ? 365 : 30;
      emit(o.ws, id, t, 'Subscription Started', { plan, price, billing_period_days: period });
      for (let k = r.int(0, 3); k > 0; k--) {
        t += r.pick([period * DAY, 7 * DAY, 0]);
        const props: Json = r.chance(0.5)
          ? { plan }
          : { plan: r.pick(PLANS), price: r.pick([399, 599, '499']) };
        emit(o.ws, id, t, r.chance(0.7) ? 'Subscription Renewed' : 'Subscription Cancelled', props);
      }
    }
  }
  // Events exactly at hours that are local midnights somewhere, and another workspace's noise.
  for (let i = 0; i < 12; i++) {
    const day = Math.floor(o.anchor / DAY) * DAY + r.int(-30, 30) * DAY;
    const at = day + r.pick([21 * HOUR, 21 * HOUR - 1, 4 * HOUR, 5 * HOUR, 18 * HOUR + 15 * MIN]);
    emit(o.ws, r.pick(ids), at, r.pick(SHOP), { revenue: 10, utm_source: 'yandex' });
  }
  for (const b of o.bounds ?? []) {
    for (const at of [b - 1, b])
      emit(o.ws, r.pick(ids), at, r.pick([...SHOP, 'Video Playback Started']), {
        revenue: 5,
        content_id: 'film-1',
      });
  }
  for (let i = 0; i < 30; i++)
    emit('ws_other', r.pick(ids), o.anchor + r.int(-10, 10) * HOUR, r.pick(SHOP), { revenue: 1 });

  const aliases: Alias[] = [
    { ws: o.ws, profileId: ids[n - 1], survivorId: ids[3], version: 1 },
    { ws: o.ws, profileId: ids[n - 2], survivorId: ids[4], version: 1 },
    { ws: o.ws, profileId: ids[n - 3], survivorId: ids[5], version: 1 },
    { ws: o.ws, profileId: ids[n - 3], survivorId: ids[n - 3], version: 2 }, // unmerged again
    { ws: o.ws, profileId: ids[n - 4], survivorId: ids[6], version: 1 },
    { ws: o.ws, profileId: ids[n - 4], survivorId: ids[7], version: 2 }, // re-pointed
    { ws: 'ws_other', profileId: ids[1], survivorId: ids[2], version: 1 },
  ];
  const profiles: Profile[] = ids.map((id, i) => ({
    ws: o.ws,
    profileId: id,
    traits: {
      city: r.pick(CITIES),
      age: r.int(18, 70),
      vip: r.chance(0.3),
      ...(r.chance(0.2) ? {} : { tier: r.pick(['gold', 'silver']) }),
    },
    deleted: i === 9 ? 1 : 0,
    version: 1,
  }));
  profiles.push({
    ws: o.ws,
    profileId: ids[2],
    traits: { city: 'Казань', age: 30, vip: true },
    deleted: 0,
    version: 2,
  });
  const members: Member[] = [];
  for (const id of ids) {
    if (r.chance(0.4)) members.push({ ws: o.ws, segmentId: 'seg_a', profileId: id, isMember: 1, version: 1 });
    if (r.chance(0.4)) members.push({ ws: o.ws, segmentId: 'seg_b', profileId: id, isMember: 1, version: 1 });
  }
  members.push({ ws: o.ws, segmentId: 'seg_a', profileId: ids[3], isMember: 1, version: 5 });
  members.push({ ws: o.ws, segmentId: 'seg_a', profileId: ids[8], isMember: 0, version: 9 }); // exited
  return { events, aliases, profiles, members };
}

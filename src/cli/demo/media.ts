/**
 * The media product of seed 001: a video player (Segment's video spec: started, paused,
 * resumed, seek completed, completed) and a paid subscription billed by a backend (started,
 * renewed, cancelled, with plan and price in roubles).
 */
import { CONTENT, type Content, PLANS, type Plan } from './catalog.ts';
import { DAY_MS, type Person } from './people.ts';
import type { Rng } from './random.ts';
import {
  geolocation,
  type PersonState,
  planAt,
  type Session,
  scrollAndClick,
  signIn,
  signsInNow,
  trackOnPage,
  view,
} from './session.ts';
import type { Timeline } from './timeline.ts';

type Json = Record<string, unknown>;

const FREE = CONTENT.filter((c) => c.free);
const ALL_WEIGHTED = CONTENT.map((c) => [c, c.weight] as const);
const FREE_WEIGHTED = FREE.map((c) => [c, c.weight] as const);

const CANCEL_REASONS = [
  'too_expensive',
  'not_enough_content',
  'technical_issues',
  'switched_service',
  'other',
];

/**
 * Renewals at each period boundary up to `now` and, for some, a cancellation within a period
 * (the subscription then runs to the period's end). Events before `notBefore` are not sent
 * (subscriptions that began before the window). Returns when access ends (Infinity if never).
 */
export function billSubscription(
  tl: Timeline,
  rng: Rng,
  sub: { id: string; plan: Plan; from: number; userId: string },
  range: { notBefore: number; now: number },
): number {
  const { plan } = sub;
  const periodMs = plan.periodDays * DAY_MS;
  const cancelChance = plan.periodDays > 31 ? 0.3 : 0.14;
  const base = { subscription_id: sub.id, plan: plan.plan, price: plan.price, currency: 'RUB' };
  for (let period = 1; ; period++) {
    const periodEnd = sub.from + period * periodMs;
    if (rng.chance(cancelChance)) {
      const at = periodEnd - rng.real(0.05, 0.95) * periodMs;
      if (at > range.now) return Number.POSITIVE_INFINITY;
      if (at >= range.notBefore) {
        tl.backendTrack(at, { userId: sub.userId }, 'Subscription Cancelled', {
          ...base,
          reason: rng.pick(CANCEL_REASONS),
          periods_paid: period,
        });
        tl.backendIdentify(at + 1000, sub.userId, { plan: 'free' });
      }
      return periodEnd;
    }
    if (periodEnd > range.now) return Number.POSITIVE_INFINITY;
    if (periodEnd >= range.notBefore) {
      tl.backendTrack(periodEnd, { userId: sub.userId }, 'Subscription Renewed', {
        ...base,
        revenue: plan.price,
        period: period + 1,
      });
    }
  }
}

function choosePlan(rng: Rng): Plan {
  return rng.weighted(PLANS.map((p) => [p, p.weight] as const));
}

/** A subscription that began before the window (renewals inside it, no `Subscription Started`). */
export function priorSubscription(
  tl: Timeline,
  rng: Rng,
  person: Person,
  range: { notBefore: number; now: number },
): PersonState['subscription'] {
  const plan = choosePlan(rng);
  const from = range.notBefore - rng.real(1, plan.periodDays * 3) * DAY_MS;
  const id = `sub-${person.index + 1}`;
  const until = billSubscription(tl, rng, { id, plan, from, userId: person.userId }, range);
  return { id, plan, from, until };
}

function subscribe(s: Session, notBefore: number, now: number): void {
  const { rng, person, client, state, tl } = s;
  view(s, 'Subscribe', '/subscribe', 'Подписка Кино');
  trackOnPage(s, 0.7, 'Click', {
    ...(client.type === 'web' ? { url: s.page.url } : { screen: 'Subscribe' }),
    element: 'button.subscribe',
    element_text: 'Оформить подписку',
  });
  const plan = choosePlan(rng);
  const id = `sub-${person.index + 1}`;
  const from = s.t;
  tl.track(from, client, 'Subscription Started', {
    subscription_id: id,
    plan: plan.plan,
    price: plan.price,
    currency: 'RUB',
    revenue: plan.price,
    period: 1,
    billing_period_days: plan.periodDays,
    payment_method: rng.pick(['card', 'sbp', 'apple_pay']),
  });
  tl.identify(from + 500, client, { plan: plan.plan });
  const until = billSubscription(tl, rng, { id, plan, from, userId: person.userId }, { notBefore, now });
  state.subscription = { id, plan, from, until };
  s.t += rng.int(3000, 10_000);
}

/** One playback: started, some pauses (with resume) and seeks, then completed or left midway. */
function play(s: Session, content: Content): void {
  const { rng, tl, client } = s;
  const base: Json = {
    session_id: `play-${rng.hex(12)}`,
    content_id: content.id,
    content_title: content.title,
    content_type: content.type,
    genre: content.genre,
    total_length: content.length,
    video_player: 'kino-player',
    quality: rng.pick(['720p', '1080p', '1080p', '4k']),
    livestream: false,
  };
  let position = rng.chance(0.2) ? rng.int(0, Math.floor(content.length * 0.6)) : 0;
  const completes = rng.chance(content.type === 'episode' ? 0.62 : 0.45);
  const stopAt = completes ? content.length : position + (content.length - position) * rng.real(0.03, 0.9);
  let watched = 0;
  let t = s.t;
  const emit = (event: string, extra: Json = {}) =>
    tl.track(t, client, event, {
      ...base,
      position: Math.round(position),
      watch_seconds: Math.round(watched),
      ...extra,
    });
  emit('Video Playback Started');
  let left = false;
  for (let step = 0; step < 60 && position < stopAt; step++) {
    const chunk = Math.min(stopAt - position, 30 + rng.exponential(900));
    position += chunk;
    watched += chunk;
    t += Math.round(chunk * 1000);
    if (position >= stopAt) break;
    const r = rng.next();
    if (r < 0.55) {
      emit('Video Playback Paused');
      t += Math.round((5 + rng.exponential(90)) * 1000);
      emit('Video Playback Resumed');
    } else if (r < 0.85) {
      const from = position;
      position = Math.max(0, Math.min(content.length - 1, position + rng.int(-120, 600)));
      t += rng.int(500, 3000);
      emit('Video Playback Seek Completed', { seek_from: Math.round(from) });
    } else {
      emit('Video Playback Paused');
      left = true;
      break;
    }
  }
  if (!left && completes && position >= stopAt) {
    position = content.length;
    emit('Video Playback Completed');
  } else if (!left) {
    emit('Video Playback Paused');
  }
  s.t = t + rng.int(2000, 20_000);
}

function pickContent(rng: Rng, subscribed: boolean): Content {
  return rng.weighted(subscribed ? ALL_WEIGHTED : FREE_WEIGHTED);
}

/** One visit to the media site or app; subscribes on the planned visit. */
export function mediaVisit(s: Session, range: { notBefore: number; now: number }): void {
  const { rng, person, state } = s;
  const visit = state.mediaVisits++;
  const landing = s.touch?.landing;
  if (landing) view(s, landing.name, landing.path, landing.title);
  else view(s, 'Home', '/', 'Кино — смотреть онлайн');
  geolocation(s);
  if (signsInNow(s)) signIn(s);
  const wantsToSubscribe =
    !state.subscription && state.subscribeOnVisit >= 0 && visit >= state.subscribeOnVisit;
  if (wantsToSubscribe && person.signsIn) {
    signIn(s);
    subscribe(s, range.notBefore, range.now);
  }
  const plays = 1 + rng.poisson(0.7);
  for (let i = 0; i < plays; i++) {
    const subscribed = planAt(person, state, s.t) !== 'free';
    if (rng.chance(0.5)) {
      const shelf = rng.pick(['films', 'series', 'new']);
      view(s, 'Catalog', `/catalog/${shelf}`, 'Каталог', { shelf });
      scrollAndClick(s, 'button.play');
    }
    if (!subscribed && rng.chance(0.2)) {
      view(s, 'Subscribe', '/subscribe', 'Подписка Кино');
    }
    // The watch page stays open for the whole playback: play first, then date the page view.
    const content = pickContent(rng, subscribed);
    const opened = s.t;
    s.t += rng.int(1500, 8000);
    play(s, content);
    const seconds = Math.round((s.t - opened) / 1000);
    s.t = opened;
    view(s, 'Watch', `/watch/${content.id}`, content.title, { content_id: content.id }, seconds);
  }
}

/**
 * When a person visits, on which of their clients, and what brought them: first touches
 * (campaigns with UTM and click ids, organic search, direct), returning visits from e-mail and
 * retargeting, and push notifications that open the app.
 */
import { CAMPAIGNS, type Campaign, HOURLY } from './catalog.ts';
import { type Client, DAY_MS, type Person, type ProductKind } from './people.ts';
import type { Rng } from './random.ts';
import { campaignTouch, type Touch } from './session.ts';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;
const MAX_VISITS = 150;

export interface PlannedVisit {
  kind: 'visit';
  t: number;
  client: Client;
  touch: Touch | null;
}

export interface PlannedPush {
  kind: 'push';
  t: number;
  client: Client;
  notification: Notification;
  /** When it is opened (it then starts a visit), or null. */
  openedAt: number | null;
}

export interface Notification {
  type: string;
  campaign: string;
  title: string;
  landing: { name: string; path: string; title: string };
}

const NOTIFICATIONS: Record<ProductKind, readonly Notification[]> = {
  shop: [
    {
      type: 'promo',
      campaign: 'push_promo',
      title: 'Скидки до 50% только сегодня',
      landing: { name: 'Promo', path: '/promo/sale', title: 'Распродажа' },
    },
    {
      type: 'price_drop',
      campaign: 'push_price_drop',
      title: 'Цена на товар из избранного снизилась',
      landing: { name: 'Favourites', path: '/favourites', title: 'Избранное' },
    },
    {
      type: 'cart_reminder',
      campaign: 'push_cart_reminder',
      title: 'Вы забыли товары в корзине',
      landing: { name: 'Cart', path: '/cart', title: 'Корзина' },
    },
  ],
  media: [
    {
      type: 'new_episode',
      campaign: 'push_new_episode',
      title: 'Новая серия уже на Кино',
      landing: { name: 'New', path: '/catalog/new', title: 'Новинки' },
    },
    {
      type: 'recommendation',
      campaign: 'push_recommendation',
      title: 'Вам понравится этот фильм',
      landing: { name: 'Home', path: '/', title: 'Кино — смотреть онлайн' },
    },
  ],
};

/** Moves `t` to a plausible local hour of the same day (people sleep at night). */
function atLocalHour(rng: Rng, t: number, utcOffset: number): number {
  const offset = utcOffset * HOUR_MS;
  const dayStart = Math.floor((t + offset) / DAY_MS) * DAY_MS - offset;
  return dayStart + rng.weighted(HOURLY) * HOUR_MS + rng.int(0, HOUR_MS - 1);
}

function organic(rng: Rng): Touch {
  return { referrer: rng.pick(['https://yandex.ru/', 'https://www.google.com/', 'https://ya.ru/']) };
}

function referral(rng: Rng, product: ProductKind): Touch {
  const sites =
    product === 'shop'
      ? ['https://pikabu.ru/', 'https://dzen.ru/', 'https://habr.com/']
      : ['https://dzen.ru/', 'https://kinopoisk.ru/'];
  return { referrer: rng.pick(sites) };
}

const DIRECT: Touch = { referrer: '' };

function campaignsFor(product: ProductKind, filter: (c: Campaign) => boolean): Campaign[] {
  return CAMPAIGNS.filter((c) => c.product === product && filter(c));
}

/** What brought a new visitor: a paid campaign, organic search, a referral, or direct. */
export function firstTouch(rng: Rng, product: ProductKind): Touch {
  const paid = campaignsFor(product, (c) => c.weight > 0);
  const options: [() => Touch, number][] = [
    ...paid.map((c): [() => Touch, number] => [() => campaignTouch(rng, c), c.weight]),
    [() => organic(rng), 24],
    [() => DIRECT, 14],
    [() => referral(rng, product), 5],
  ];
  return rng.weighted(options)();
}

function returningTouch(rng: Rng, product: ProductKind, signedUp: boolean): Touch | null {
  const r = rng.next();
  if (r < 0.1 && signedUp)
    return campaignTouch(rng, rng.pick(campaignsFor(product, (c) => c.medium === 'email')));
  if (r < 0.14 && product === 'shop')
    return campaignTouch(rng, rng.pick(campaignsFor(product, (c) => c.source === 'mytarget')));
  if (r < 0.19) return paidTouch(rng, product);
  if (r < 0.4) return organic(rng);
  return null;
}

/** A paid campaign of the product, by weight. */
function paidTouch(rng: Rng, product: ProductKind): Touch {
  return campaignTouch(
    rng,
    rng.weighted(campaignsFor(product, (c) => c.weight > 0).map((c) => [c, c.weight] as const)),
  );
}

function installTouch(rng: Rng, client: Client): Touch | null {
  if (client.type !== 'web' && rng.chance(0.25)) return paidTouch(rng, client.product);
  return client.type === 'web' && rng.chance(0.3) ? organic(rng) : null;
}

function pickClient(rng: Rng, clients: readonly Client[]): Client {
  return rng.weighted(clients.map((c, i) => [c, i === 0 ? 3 : c.shared ? 1 : 1.5] as const));
}

/** The visits of a person, oldest first; the first lands on their first client with their first touch. */
export function planVisits(rng: Rng, p: Person, windowStart: number): PlannedVisit[] {
  const span = p.activeTo - p.activeFrom;
  const count = Math.min(MAX_VISITS, 1 + rng.poisson((p.sessionsPerWeek * span) / WEEK_MS));
  const times = [p.activeFrom];
  for (let i = 1; i < count; i++) times.push(p.activeFrom + rng.next() * span);
  const placed = times
    .map((t) => {
      const local = atLocalHour(rng, t, p.city.utcOffset);
      return local >= windowStart && local <= p.activeTo ? local : t;
    })
    .sort((a, b) => a - b);
  const seen = new Set<Client>();
  return placed.map((t, i) => {
    // People soon use their other devices too.
    const unused = p.clients.find((c) => !seen.has(c));
    const client = i === 0 ? p.clients[0] : unused && rng.chance(0.5) ? unused : pickClient(rng, p.clients);
    const first = !seen.has(client);
    seen.add(client);
    let touch: Touch | null;
    if (i === 0)
      touch = p.existing ? returningTouch(rng, client.product, true) : firstTouch(rng, client.product);
    else if (first) touch = installTouch(rng, client);
    else touch = returningTouch(rng, client.product, p.signsIn);
    return { kind: 'visit', t, client, touch };
  });
}

/**
 * Pushes to each app install from its first visit until `now` (about one a week); some are
 * opened, and an opened push starts a visit tagged with the push campaign.
 */
export function planPushes(
  rng: Rng,
  p: Person,
  visits: readonly PlannedVisit[],
  now: number,
): (PlannedPush | PlannedVisit)[] {
  const out: (PlannedPush | PlannedVisit)[] = [];
  for (const client of p.clients) {
    if (!client.token) continue;
    const firstVisit = visits.find((v) => v.client === client);
    if (!firstVisit) continue;
    const from = firstVisit.t + HOUR_MS;
    const count = rng.poisson(((now - from) / WEEK_MS) * 0.8);
    for (let i = 0; i < count; i++) {
      const t = atLocalHour(rng, from + rng.next() * (now - from), p.city.utcOffset);
      if (t < from || t > now) continue;
      const notification = rng.pick(NOTIFICATIONS[client.product]);
      const opened = rng.chance(t <= p.activeTo ? 0.2 : 0.05);
      const openedAt = opened ? t + rng.int(5, 3600) * 1000 : null;
      out.push({ kind: 'push', t, client, notification, openedAt });
      if (openedAt !== null) {
        const touch: Touch = {
          campaign: { source: 'push', medium: 'push', name: notification.campaign },
          referrer: '',
          landing: notification.landing,
        };
        out.push({ kind: 'visit', t: openedAt + rng.int(500, 2000), client, touch });
      }
    }
  }
  return out;
}

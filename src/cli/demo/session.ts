/**
 * What every visit does whatever the product: land (with the campaign that brought the person),
 * view pages or screens with their time on page, sign in and out, report a location.
 */
import type { Campaign, Plan } from './catalog.ts';
import { identifyTraits, type SignInMethod } from './identifiers.ts';
import { type Client, originOf, type Person } from './people.ts';
import type { Rng } from './random.ts';
import type { Timeline } from './timeline.ts';

type Json = Record<string, unknown>;

export interface CampaignRef {
  source: string;
  medium: string;
  name: string;
}

/** How a visit began: a campaign (with the ad network's click id), a referrer, or nothing. */
export interface Touch {
  campaign?: CampaignRef;
  clickId?: { key: 'yclid' | 'gclid'; value: string };
  referrer: string;
  /** Where the visit lands (a campaign's promo page, a push's deep link); default home. */
  landing?: { name: string; path: string; title: string };
  /** For a first touch: how much likelier the person is to buy or subscribe. */
  quality?: number;
}

/** What the simulation remembers about a person between visits. */
export interface PersonState {
  everSignedIn: boolean;
  leadCaptured: boolean;
  checkouts: number;
  /** The media subscription once there is one; `until` is when a cancelled one ends. */
  subscription: { id: string; plan: Plan; from: number; until: number } | null;
  /** The media visit in which the person subscribes (-1: never), and media visits so far. */
  subscribeOnVisit: number;
  mediaVisits: number;
}

/** The `plan` trait at time `t`: the paid plan, 'free', or none for people without the media product. */
export function planAt(person: Person, state: PersonState, t: number): string | null {
  if (!person.products.media) return null;
  const sub = state.subscription;
  return sub && sub.from <= t && t < sub.until ? sub.plan.plan : 'free';
}

export interface Session {
  tl: Timeline;
  rng: Rng;
  person: Person;
  client: Client;
  state: PersonState;
  /** Clock of the visit, epoch ms. */
  t: number;
  referrer: string;
  /** Consumed by the first view of the visit (the landing page). */
  touch: Touch | null;
  page: { start: number; durationMs: number; url: string; name: string; context: Json };
}

const SOURCE_REFERRER: Record<string, string> = {
  yandex: 'https://yandex.ru/',
  google: 'https://www.google.com/',
  vk: 'https://vk.com/',
  telegram: 'https://t.me/',
  mytarget: 'https://ok.ru/',
  email: '',
  push: '',
};

/** A paid or e-mail touch for a campaign, with a click id when the network appends one. */
export function campaignTouch(rng: Rng, c: Campaign): Touch {
  const clickId =
    c.clickId === 'yclid'
      ? { key: 'yclid' as const, value: String(rng.int(1e9, 9e9)) + String(rng.int(1e8, 9e8)) }
      : c.clickId === 'gclid'
        ? { key: 'gclid' as const, value: `Cj0KCQjw${rng.hex(24)}EAAYASAAEgK${rng.hex(6)}_D_BwE` }
        : undefined;
  const promo = c.product === 'shop' && c.medium !== 'email';
  return {
    campaign: { source: c.source, medium: c.medium, name: c.name },
    ...(clickId ? { clickId } : {}),
    referrer: SOURCE_REFERRER[c.source] ?? '',
    quality: c.quality,
    ...(promo
      ? { landing: { name: 'Promo', path: `/promo/${c.name.replaceAll('_', '-')}`, title: 'Акция' } }
      : {}),
  };
}

export function newSession(
  parts: Pick<Session, 'tl' | 'rng' | 'person' | 'client' | 'state' | 't'>,
  touch: Touch | null,
): Session {
  return {
    ...parts,
    referrer: touch?.referrer ?? '',
    touch,
    page: { start: parts.t, durationMs: 0, url: '', name: '', context: {} },
  };
}

function splitPath(path: string): { pathname: string; search: string } {
  const q = path.indexOf('?');
  return q < 0 ? { pathname: path, search: '' } : { pathname: path.slice(0, q), search: path.slice(q) };
}

/**
 * A page call (web) or screen call (apps) with `properties.time_on_page` in seconds. The landing
 * view of a campaign visit carries `context.campaign` and `properties.utm_*` (and the click id).
 * Advances the clock past the time spent on the page (`timeOnPage` seconds when given).
 */
export function view(
  s: Session,
  name: string,
  path: string,
  title: string,
  props: Json = {},
  timeOnPage?: number,
): void {
  const { rng, client, tl } = s;
  const seconds = timeOnPage ?? Math.max(2, Math.round(Math.min(900, rng.logNormal(28, 0.9))));
  const context: Json = {};
  let utm: Record<string, string> = {};
  const campaign = s.touch?.campaign;
  if (campaign) {
    context.campaign = { ...campaign };
    utm = { utm_source: campaign.source, utm_medium: campaign.medium, utm_campaign: campaign.name };
    if (s.touch?.clickId) utm[s.touch.clickId.key] = s.touch.clickId.value;
  }
  s.touch = null;
  const start = s.t;
  if (client.type === 'web') {
    const parts = splitPath(path);
    const search = Object.keys(utm).length ? `?${new URLSearchParams(utm)}` : parts.search;
    const url = `${originOf(client.product)}${parts.pathname}${search}`;
    const page = { path: parts.pathname, referrer: s.referrer, search, title, url };
    context.page = page;
    tl.page(start, client, name, { ...page, time_on_page: seconds, ...props, ...utm }, context);
    s.referrer = url;
    s.page = { start, durationMs: seconds * 1000, url, name, context };
  } else {
    tl.screen(start, client, name, { time_on_page: seconds, ...props, ...utm }, context);
    s.page = { start, durationMs: seconds * 1000, url: '', name, context };
  }
  s.t = start + seconds * 1000 + rng.int(300, 3000);
}

/** Time `fraction` of the way through the current page. */
export function duringPage(s: Session, fraction: number): number {
  return s.page.start + Math.round(s.page.durationMs * fraction);
}

/** A track call made while the current page is open (it shares the page's campaign context). */
export function trackOnPage(s: Session, fraction: number, event: string, props: Json): void {
  s.tl.track(duringPage(s, fraction), s.client, event, props, s.page.context);
}

/** Where on the page: the URL on the web, the screen name in apps. */
export function pageRef(s: Session): Json {
  return s.client.type === 'web' ? { url: s.page.url } : { screen: s.page.name };
}

/** `Scroll` with the deepest point reached, `Click` on a named element. */
export function scrollAndClick(s: Session, element: string | null): void {
  const { rng } = s;
  if (rng.chance(0.3)) {
    const depth = rng.weighted([
      [25, 3],
      [50, 4],
      [75, 3],
      [100, 2],
    ]);
    trackOnPage(s, 0.5, 'Scroll', { ...pageRef(s), scroll_depth: depth });
  }
  if (element && rng.chance(0.25)) {
    trackOnPage(s, 0.8, 'Click', { ...pageRef(s), element, element_text: elementText(element) });
  }
}

function elementText(element: string): string {
  const texts: Record<string, string> = {
    'button.add-to-cart': 'В корзину',
    'a.product-card': 'Подробнее',
    'button.checkout': 'Оформить заказ',
    'a.banner': 'Смотреть акцию',
    'button.play': 'Смотреть',
    'button.subscribe': 'Оформить подписку',
    'a.catalog-link': 'Каталог',
  };
  return texts[element] ?? element;
}

/** `Geolocation` near the person's city, from apps whose owner allowed location. */
export function geolocation(s: Session): void {
  const { rng, person } = s;
  if (s.client.type === 'web' || !person.sharesLocation || !rng.chance(0.5)) return;
  s.tl.track(s.t, s.client, 'Geolocation', {
    latitude: Number((person.city.lat + rng.real(-0.12, 0.12)).toFixed(5)),
    longitude: Number((person.city.lon + rng.real(-0.2, 0.2)).toFixed(5)),
    accuracy: rng.int(5, 120),
  });
  s.t += rng.int(200, 1500);
}

function signInMethod(s: Session): SignInMethod {
  const app = s.client.type !== 'web';
  return s.rng.weighted<SignInMethod>([
    ['email', 35],
    ['phone', app ? 35 : 20],
    ['vk_id', s.person.lang === 'ru' ? 12 : 0],
    ['yandex_id', s.person.lang === 'ru' ? 12 : 0],
    ['apple', s.client.type === 'ios' ? 15 : 0],
    ['google', s.person.lang === 'en' ? 15 : 4],
  ]);
}

/** `identify` (userId + traits, as typed) then `Signed In`. Later calls carry both ids. */
export function signIn(s: Session): void {
  const { client, person, state, rng, tl } = s;
  if (client.userId) return;
  const method = signInMethod(s);
  client.userId = person.userId;
  const plan = planAt(person, state, s.t);
  const extra = plan ? { plan } : {};
  tl.identify(s.t, client, identifyTraits(rng, person, method, extra));
  tl.track(s.t + rng.int(50, 400), client, 'Signed In', { method, first_login: !state.everSignedIn });
  state.everSignedIn = true;
  s.t += rng.int(1000, 4000);
}

export function signOut(s: Session): void {
  if (!s.client.userId) return;
  s.tl.track(s.t, s.client, 'Signed Out', {});
  s.client.userId = null;
  s.t += s.rng.int(300, 2000);
}

/** Whether this visit is the one in which the person signs in on this client. */
export function signsInNow(s: Session): boolean {
  const { person, client, rng } = s;
  if (!person.signsIn || client.userId) return false;
  if (client.shared) return true;
  if (!s.state.everSignedIn) return client.sessions > person.anonymousSessions;
  // Known person on a new install or after signing out: apps ask at once, sites later.
  return client.type === 'web' ? rng.chance(0.5) : rng.chance(0.8);
}

/** A newsletter form filled in while anonymous: an identify with just an e-mail. */
export function leaveEmail(s: Session, email: string): void {
  s.tl.identify(duringPage(s, 0.9), s.client, { email, newsletter: true });
  s.state.leadCaptured = true;
}

/**
 * A small hand-made workspace for segment tests. Live profiles of ws_a: p01 p02 p03 p04 p05 p06
 * p08 p09 p10 p11 p12 p13 — p06old is merged into p06, p07 is deleted, p12 was merged into p13
 * and unmerged again. ws_b reuses the id p01 to prove workspace scoping.
 */
import type { AliasRow, Dataset, EventRow, ProfileRow } from './rows.ts';

export const WS = 'ws_a';
export const NOW = new Date(Date.UTC(2025, 5, 15, 12, 0, 0));
const DAY = 86_400_000;

export function ago(days: number): number {
  return NOW.getTime() - Math.round(days * DAY);
}

function profile(id: string, traits: Record<string, unknown>, more: Partial<ProfileRow> = {}): ProfileRow {
  return {
    workspace_id: WS,
    profile_id: id,
    traits,
    identifier_types: [],
    identifiers: {},
    first_seen: ago(100),
    last_seen: ago(5),
    version: 1,
    ...more,
  };
}

const profiles: ProfileRow[] = [
  profile(
    'p01',
    {
      name: 'Anna',
      city: 'Москва',
      age: 34,
      vip: true,
      plan: 'pro',
      score: 4.5,
      tags: ['a', 'b'],
      address: { city: 'Москва', zip: '101000', geo: { lat: 55.7 } },
      signup: '2025-06-01T10:00:00Z',
      email_consent: true,
      nickname: '',
    },
    {
      identifier_types: ['email', 'phone'],
      identifiers: { email: ['anna@example.com'], phone: ['+79161234567'] },
      first_seen: ago(500),
      last_seen: ago(1),
    },
  ),
  profile(
    'p02',
    {
      name: 'Boris',
      city: 'Санкт-Петербург',
      age: '34',
      vip: false,
      plan: 'free',
      email_consent: false,
      address: { city: 'Санкт-Петербург' },
      signup: '2025-05-01',
      score: 0,
    },
    {
      identifier_types: ['email'],
      identifiers: { email: ['boris@example.com'] },
      first_seen: ago(300),
      last_seen: ago(40),
    },
  ),
  profile(
    'p03',
    {
      name: 'Carl',
      city: '',
      age: 17,
      unsubscribed: true,
      tags: [],
      address: {},
      signup: 'not a date',
      plan: null,
    },
    {
      identifier_types: ['email'],
      identifiers: { email: ['not-an-email', 'carl@example.com'] },
      first_seen: ago(20),
      last_seen: ago(2),
    },
  ),
  profile('p04', {}, { first_seen: ago(10), last_seen: ago(10) }),
  profile(
    'p05',
    {
      name: 'Eve',
      city: null,
      age: 65.5,
      plan: 'PRO',
      telegram_id: 12345,
      push_consent: 'Revoked',
      signup: '2024-12-31T23:30:00-01:00',
      vip: 'true',
    },
    {
      identifier_types: ['push_token'],
      identifiers: { push_token: ['tok-eve'] },
      first_seen: ago(800),
      last_seen: ago(200),
    },
  ),
  profile(
    'p06',
    { name: 'Fred', city: 'Kazan', age: 40, plan: 'pro', email_consent: 'YES', unsubscribed: 'false' },
    {
      identifier_types: ['email', 'telegram'],
      identifiers: { email: ['fred@example.org'], telegram: ['@fred'] },
    },
  ),
  profile('p06old', { name: 'Fred old', city: 'Kazan' }),
  profile('p07', { name: 'Gina', city: 'Москва' }),
  profile('p07', { name: 'Gina', city: 'Москва' }, { version: 2, deleted: 1 }),
  profile('p08', { name: 'Hugo', city: 'Kazan', age: 20 }),
  profile(
    'p08',
    { name: 'Hugo', city: 'Sochi', age: 21, sms_consent: true },
    { version: 2, identifier_types: ['phone'], identifiers: { phone: ['+15551234567'] } },
  ),
  profile(
    'p09',
    { name: 'Ivan', city: 'ПЕТЕРГОФ', sms_consent: 'NO', age: 0 },
    { identifier_types: ['phone'], identifiers: { phone: ['+15557654321'] } },
  ),
  profile(
    'p10',
    {
      name: 'Jane',
      city: 'Berlin',
      plan: 'enterprise',
      email_consent: 1,
      unsubscribed: 0,
      telegram_consent: false,
      telegram_id: 'jane_tg',
    },
    {
      identifier_types: ['email', 'telegram', 'push_token'],
      identifiers: { email: ['jane@example.de'], telegram: ['@jane'], push_token: ['', 'tok-jane'] },
    },
  ),
  profile(
    'p11',
    {
      name: 'Kim',
      city: 'Straße',
      address: { city: 'Berlin' },
      age: 28,
      vip: true,
      nested: { a: { b: { c: 'deep' } } },
    },
    { identifier_types: ['phone'], identifiers: { phone: ['12345'] } },
  ),
  profile('p12', { name: 'Leo', age: 50 }),
  profile('p13', { name: 'Mia' }),
  { ...profile('p01', { city: 'Москва', age: 34 }), workspace_id: 'ws_b' },
];

let seq = 0;
function ev(
  profileId: string,
  event: string,
  days: number,
  properties: Record<string, unknown> = {},
): EventRow {
  seq += 1;
  return {
    workspace_id: WS,
    message_id: `m${seq}`,
    event,
    profile_id: profileId,
    timestamp: ago(days),
    properties,
  };
}

const events: EventRow[] = [
  ev('p01', 'Order Completed', 2, { revenue: 100, currency: 'USD' }),
  ev('p01', 'Order Completed', 10, { revenue: 250, currency: 'EUR' }),
  ev('p01', 'Order Completed', 45, { revenue: 50, currency: 'USD' }),
  ev('p01', 'Product Viewed', 3, { product: { category: 'Shoes', name: 'Runner' }, price: 80 }),
  ev('p01', 'Page Viewed', 1, { path: '/home' }),
  ev('p02', 'Order Completed', 100, { revenue: '30', currency: 'USD' }),
  ev('p02', 'Order Completed', 5, { revenue: 30, currency: 'usd' }),
  ev('p02', 'Product Viewed', 6, { product: { category: 'Books' }, price: 12.5 }),
  ev('p03', 'Product Viewed', 1, { product: { category: 'Shoes' } }),
  ev('p03', 'Order Completed', 0.5, { revenue: 20 }),
  ev('p03', 'Signed Up', 20, { method: "O'Reilly \\ email" }),
  ev('p05', 'Order Completed', 400, { revenue: 1000 }),
  ev('p05', 'Page Viewed', 300, { path: '/pricing' }),
  ev('p06old', 'Order Completed', 3, { revenue: 70, coupon: null }),
  ev('p06', 'Product Viewed', 4, { product: { category: 'Shoes' }, price: 70 }),
  ev('p07', 'Order Completed', 1, { revenue: 999 }),
  ev('p08', 'Page Viewed', 30, { path: '/a' }),
  ev('p08', 'Page Viewed', 29, { path: '/b' }),
  ev('p08', 'Page Viewed', 28, { path: '/a' }),
  ev('p09', 'Order Completed', 60, { revenue: 40 }),
  ev('p09', 'Order Completed', 61, { revenue: 40 }),
  ev('p09', 'Order Completed', -2, { revenue: 5 }),
  ev('p10', 'Order Completed', 8, { revenue: 15 }),
  ev('p10', 'Product Viewed', 7, { product: { category: 'Toys' }, price: 15 }),
  ev('p10', 'Order Completed', 7, { revenue: 15.5 }),
  ev('p10', 'Page Viewed', 9, { path: '/x' }),
  ev('p10', 'Page Viewed', 9, { path: '/y' }),
  ev('p11', 'Page Viewed', 2, { path: '/home' }),
  ev('p11', 'Page Viewed', 1, { path: '/home' }),
  ev('p12', 'Order Completed', 12, { revenue: 10 }),
  ev('p13', 'Signed Up', 3, {}),
  { ...ev('p01', 'Order Completed', 1, { revenue: 5000 }), workspace_id: 'ws_b' },
];

const aliases: AliasRow[] = [
  { workspace_id: WS, profile_id: 'p06old', survivor_id: 'p06', version: 1 },
  { workspace_id: WS, profile_id: 'p12', survivor_id: 'p13', version: 1 },
  { workspace_id: WS, profile_id: 'p12', survivor_id: 'p12', version: 2 },
];

export const DATASET: Dataset = { profiles, events, aliases };

/** Live profile ids of ws_a, sorted. */
export const UNIVERSE = ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p08', 'p09', 'p10', 'p11', 'p12', 'p13'];

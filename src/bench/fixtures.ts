/** Realistic event rows for benchmarks: e-commerce events with context, ~0.9 KB each. */
const EVENTS = [
  'Page Viewed',
  'Product Viewed',
  'Product Added',
  'Checkout Started',
  'Order Completed',
  'Search',
  'Push Opened',
];
const PAGES = [
  '/',
  '/catalog/shoes',
  '/catalog/bags',
  '/product/123',
  '/cart',
  '/checkout',
  '/search?q=кроссовки',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
];

export { mulberry32 } from '../core/random.ts';

export interface BenchEvent {
  messageId: string;
  type: 'track';
  event: string;
  userId: string | null;
  anonymousId: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: string;
}

/** A Segment-shaped track event, as an SDK would send it, timestamped within `spreadMs` before now. */
export function benchEvent(
  rand: () => number,
  i: number,
  profiles = 100_000,
  now = Date.now(),
  spreadMs = 3_600_000,
): BenchEvent {
  const p = Math.floor(rand() * profiles);
  const event = EVENTS[Math.floor(rand() * EVENTS.length)];
  return {
    messageId: `bench-${now.toString(36)}-${i}-${Math.floor(rand() * 1e9).toString(36)}`,
    type: 'track',
    event,
    userId: rand() < 0.4 ? `user-${p}` : null,
    anonymousId: `anon-${p}-${Math.floor(rand() * 3)}`,
    properties: {
      product_id: `sku-${Math.floor(rand() * 5000)}`,
      category: 'shoes',
      price: Math.round(rand() * 10000) / 100,
      currency: 'RUB',
      ...(event === 'Order Completed'
        ? { revenue: Math.round(rand() * 50000) / 100, order_id: `o-${i}` }
        : {}),
      url: `https://shop.example.ru${PAGES[Math.floor(rand() * PAGES.length)]}`,
    },
    context: {
      ip: `10.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`,
      userAgent: AGENTS[Math.floor(rand() * AGENTS.length)],
      locale: 'ru-RU',
      page: {
        path: PAGES[Math.floor(rand() * PAGES.length)],
        referrer: 'https://yandex.ru/',
        title: 'Магазин обуви',
      },
      library: { name: 'analytics.js', version: '5.2.0' },
      campaign: rand() < 0.2 ? { source: 'yandex', medium: 'cpc', name: 'autumn_sale' } : undefined,
    },
    timestamp: new Date(now - Math.floor(rand() * spreadMs)).toISOString(),
  };
}

/** The stored row (events table columns) for a bench event, as one JSONEachRow line. */
export function eventRowLine(workspaceId: string, e: BenchEvent, receivedAt: string): string {
  return `${JSON.stringify({
    workspace_id: workspaceId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    profile_id: `prf_${e.anonymousId}`,
    user_id: e.userId ?? '',
    anonymous_id: e.anonymousId,
    source_id: 'src_bench',
    timestamp: e.timestamp.replace('T', ' ').replace('Z', ''),
    received_at: receivedAt,
    properties: JSON.stringify(e.properties),
    traits: '{}',
    context: JSON.stringify(e.context),
  })}\n`;
}

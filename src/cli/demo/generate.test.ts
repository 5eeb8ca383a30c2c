import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '../../core/identity/index.ts';
import { parseSegmentBatch } from '../../core/tracking/index.ts';
import { PAID_CAMPAIGNS } from './catalog.ts';
import {
  countEvents,
  type DemoMessage,
  type GeneratedPerson,
  generateEvents,
  generatePeople,
  generateSpend,
  spendCsv,
} from './generate.ts';

const NOW = Date.UTC(2025, 4, 15, 18, 30);
const DAY = 86_400_000;
const OPTS = { profiles: 600, days: 60, seed: 7, now: NOW };
const PEOPLE: GeneratedPerson[] = [...generatePeople(OPTS)];
const EVENTS: DemoMessage[] = PEOPLE.flatMap((p) => p.events);

const named = (event: string) => EVENTS.filter((e) => e.event === event);
const share = (n: number, of: number) => n / of;
const props = (e: DemoMessage) => e.properties ?? {};
const device = (e: DemoMessage) =>
  e.context.device as { id?: string; type?: string; token?: string } | undefined;

describe('generatePeople', () => {
  it('is deterministic for a seed and now', () => {
    const small = { profiles: 40, days: 20, seed: 99, now: NOW };
    expect([...generateEvents(small)]).toEqual([...generateEvents(small)]);
    const other = [...generateEvents({ ...small, seed: 100 })];
    expect(other.map((e) => e.messageId)).not.toEqual([...generateEvents(small)].map((e) => e.messageId));
  });

  it('gives the same people on a later run, with new message ids', () => {
    const a = [...generatePeople({ profiles: 20, days: 30, seed: 3, now: NOW })];
    const b = [...generatePeople({ profiles: 20, days: 30, seed: 3, now: NOW + 3_600_000 })];
    expect(b.map((p) => p.userId)).toEqual(a.map((p) => p.userId));
    const idsA = new Set(a.flatMap((p) => p.events.map((e) => e.messageId)));
    expect(b.flatMap((p) => p.events).some((e) => idsA.has(e.messageId))).toBe(false);
  });

  it('makes every message acceptable to the real Segment parser', () => {
    for (let i = 0; i < EVENTS.length; i += 2500) {
      const batch = EVENTS.slice(i, i + 2500);
      const result = parseSegmentBatch(
        { batch, sentAt: new Date(NOW).toISOString() },
        { receivedAt: new Date(NOW) },
      );
      expect(result.rejected).toEqual([]);
      expect(result.events).toHaveLength(batch.length);
    }
  });

  it('gives each person their messages in time order, within the window', () => {
    for (const person of PEOPLE) {
      const times = person.events.map((e) => Date.parse(e.timestamp));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - OPTS.days * DAY);
      expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    }
  });

  it('uses unique message ids', () => {
    expect(new Set(EVENTS.map((e) => e.messageId)).size).toBe(EVENTS.length);
  });

  it('counts what it generates, at a volume that scales to ~1M events for 10,000 people × 90 days', () => {
    expect(countEvents(OPTS)).toBe(EVENTS.length);
    const perPersonPerDay = EVENTS.length / OPTS.profiles / OPTS.days;
    expect(perPersonPerDay * 10_000 * 90).toBeGreaterThan(300_000);
    expect(perPersonPerDay * 10_000 * 90).toBeLessThan(1_300_000);
  });
});

describe('the people', () => {
  it('browse anonymously first and sign in later; some never sign in; customers arrive signed in', () => {
    const anonymousThenSignedIn = PEOPLE.filter((p) => !p.events[0].userId && p.events.some((e) => e.userId));
    const never = PEOPLE.filter((p) => p.events.every((e) => !e.userId));
    expect(share(anonymousThenSignedIn.length, PEOPLE.length)).toBeGreaterThan(0.2);
    expect(share(never.length, PEOPLE.length)).toBeGreaterThan(0.1);
    expect(share(never.length, PEOPLE.length)).toBeLessThan(0.6);
    for (const p of anonymousThenSignedIn) {
      const first = p.events.findIndex((e) => e.userId);
      expect(p.events[first].type).toBe('identify'); // identify comes first, with the anonymousId it links
      expect(p.events[first].anonymousId).toBeTruthy();
      expect(p.events.slice(0, first).every((e) => e.anonymousId && !e.userId)).toBe(true);
    }
  });

  it('use 1–3 devices with an anonymousId each, push tokens on apps, and a few share a laptop', () => {
    const devicesPer = PEOPLE.map((p) => new Set(p.events.map((e) => device(e)?.id).filter(Boolean)).size);
    expect(devicesPer.filter((n) => n >= 2).length).toBeGreaterThan(PEOPLE.length * 0.1);
    const types = new Set(EVENTS.map((e) => device(e)?.type));
    expect([...types].filter(Boolean).sort()).toEqual(['android', 'ios', 'web']);
    for (const e of EVENTS) {
      const d = device(e);
      if (d?.type === 'ios') expect(d.token).toMatch(/^[0-9a-f]{64}$/);
      if (d?.type === 'android') expect(d.token).toMatch(/^[\w-]{11}:APA91b[\w-]{134}$/);
      if (d?.type === 'web') expect(d.token).toBeUndefined();
    }
    const usersOfDevice = new Map<string, Set<string>>();
    for (const e of EVENTS) {
      const id = device(e)?.id;
      if (!id || !e.userId) continue;
      usersOfDevice.set(id, (usersOfDevice.get(id) ?? new Set()).add(e.userId));
    }
    expect([...usersOfDevice.values()].some((users) => users.size === 2)).toBe(true);
  });

  it('are identified with traits in Russian and English, from the listed cities', () => {
    const identifies = EVENTS.filter((e) => e.type === 'identify' && e.userId && e.traits?.name);
    expect(identifies.length).toBeGreaterThan(100);
    for (const e of identifies) {
      expect(Object.keys(e.traits ?? {})).toEqual(
        expect.arrayContaining(['name', 'first_name', 'last_name', 'city', 'birthday', 'gender']),
      );
      expect(e.traits?.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const names = identifies.map((e) => String(e.traits?.first_name));
    expect(names.some((n) => /^[А-ЯЁ][а-яё]+$/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z][a-z]+$/.test(n))).toBe(true);
    const cities = new Set(identifies.map((e) => e.traits?.city));
    for (const city of ['Moscow', 'Saint Petersburg', 'Kazan', 'Novosibirsk', 'London', 'Berlin']) {
      expect(cities).toContain(city);
    }
    expect(
      identifies.some((e) => ['free', 'monthly', 'annual', 'family'].includes(String(e.traits?.plan))),
    ).toBe(true);
  });

  it('type e-mails and phones in messy ways that normalise to one address and number per person', () => {
    const emails = EVENTS.map((e) => e.traits?.email).filter((v): v is string => typeof v === 'string');
    const phones = EVENTS.map((e) => e.traits?.phone).filter((v): v is string => typeof v === 'string');
    expect(emails.some((m) => m !== m.trim())).toBe(true);
    expect(emails.some((m) => /[A-Z]/.test(m))).toBe(true);
    expect(emails.some((m) => /\+\w+@(gmail\.com|yandex\.ru|ya\.ru)$/.test(m.trim()))).toBe(true);
    expect(emails.some((m) => m.trim().endsWith('@googlemail.com'))).toBe(true);
    expect(phones.some((p) => /^8 \(9\d\d\) \d{3}-\d\d-\d\d$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\+7 9\d\d \d{3} \d\d \d\d$/.test(p))).toBe(true);
    expect(phones.some((p) => /^89\d{9}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\+44 7/.test(p))).toBe(true);

    const emailOf = new Map<string, Set<string>>();
    const phoneOf = new Map<string, Set<string>>();
    for (const p of PEOPLE) {
      for (const e of p.events) {
        if (typeof e.traits?.email === 'string') {
          const n = normalizeEmail(e.traits.email);
          expect(n.ok, e.traits.email).toBe(true);
          if (n.ok) emailOf.set(p.userId, (emailOf.get(p.userId) ?? new Set()).add(n.value));
        }
        if (typeof e.traits?.phone === 'string') {
          const n = normalizePhone(e.traits.phone, 'RU');
          expect(n.ok, e.traits.phone).toBe(true);
          if (n.ok) phoneOf.set(p.userId, (phoneOf.get(p.userId) ?? new Set()).add(n.value));
        }
      }
    }
    expect([...emailOf.values()].every((s) => s.size === 1)).toBe(true);
    expect([...phoneOf.values()].every((s) => s.size === 1)).toBe(true);
    const owners = new Map<string, string>();
    for (const [user, set] of emailOf) {
      const [address] = set;
      expect(owners.get(address) ?? user).toBe(user); // no two people share an address
      owners.set(address, user);
    }
  });
});

describe('the events', () => {
  it('cover the e-commerce list of seed 004 with Segment names', () => {
    for (const event of [
      'Signed In',
      'Signed Out',
      'Product Viewed',
      'Product Added',
      'Product Removed',
      'Checkout Started',
      'Checkout Abandoned',
      'Payment Succeeded',
      'Payment Failed',
      'Order Completed',
      'Products Searched',
      'Push Received',
      'Push Opened',
      'Scroll',
      'Click',
      'Geolocation',
    ]) {
      expect(named(event).length, event).toBeGreaterThan(0);
    }
    for (const e of named('Order Completed')) {
      expect(props(e).order_id).toMatch(/^SO-\d+-\d+$/);
      expect(typeof props(e).revenue).toBe('number');
      expect(props(e).currency).toBe('RUB');
      expect((props(e).products as unknown[]).length).toBeGreaterThan(0);
    }
    const pages = EVENTS.filter((e) => e.type === 'page' || e.type === 'screen');
    expect(
      pages.every((e) => Number.isInteger(props(e).time_on_page) && Number(props(e).time_on_page) > 0),
    ).toBe(true);
    expect(named('Push Received').every((e) => props(e).push_token === device(e)?.token)).toBe(true);
  });

  it('cover the media product of seed 001: playback and subscriptions', () => {
    for (const event of [
      'Video Playback Started',
      'Video Playback Paused',
      'Video Playback Seek Completed',
      'Video Playback Completed',
    ]) {
      const events = named(event);
      expect(events.length, event).toBeGreaterThan(0);
      for (const e of events) {
        expect(Object.keys(props(e))).toEqual(
          expect.arrayContaining([
            'content_id',
            'content_title',
            'position',
            'total_length',
            'watch_seconds',
          ]),
        );
      }
    }
    for (const e of named('Video Playback Completed')) expect(props(e).position).toBe(props(e).total_length);
    for (const event of ['Subscription Started', 'Subscription Renewed', 'Subscription Cancelled']) {
      const events = named(event);
      expect(events.length, event).toBeGreaterThan(0);
      for (const e of events) {
        expect(['monthly', 'annual', 'family']).toContain(props(e).plan);
        expect(typeof props(e).price).toBe('number');
        expect(props(e).currency).toBe('RUB');
        expect(e.userId).toBeTruthy();
      }
    }
  });

  it('mark first touches with UTM in context.campaign and properties.utm_* on the landing page, with click ids', () => {
    const landings = EVENTS.filter((e) => e.type === 'page' && e.context.campaign);
    expect(landings.length).toBeGreaterThan(50);
    for (const e of landings) {
      const c = e.context.campaign as { source: string; medium: string; name: string };
      expect(props(e)).toMatchObject({ utm_source: c.source, utm_medium: c.medium, utm_campaign: c.name });
      expect(String(props(e).url)).toContain(`utm_source=${c.source}`);
    }
    expect(landings.some((e) => /^\d{15,}$/.test(String(props(e).yclid)))).toBe(true);
    expect(landings.some((e) => String(props(e).gclid).startsWith('Cj0KCQjw'))).toBe(true);
    const sources = new Set(landings.map((e) => (e.context.campaign as { source: string }).source));
    expect([...sources]).toEqual(expect.arrayContaining(['yandex', 'google', 'vk', 'telegram', 'email']));
    // Pages after the landing page carry no campaign.
    const plain = EVENTS.filter((e) => e.type === 'page' && !e.context.campaign);
    expect(plain.every((e) => props(e).utm_source === undefined)).toBe(true);
  });
});

describe('generateSpend', () => {
  const rows = generateSpend(30, 7, { now: NOW, profiles: 1000 });

  it('gives one row per paid campaign per day, for the days ending today', () => {
    expect(rows).toHaveLength(30 * PAID_CAMPAIGNS.length);
    const keys = new Set(rows.map((r) => `${r.date}|${r.source}|${r.medium}|${r.campaign}`));
    expect(keys.size).toBe(rows.length);
    const dates = [...new Set(rows.map((r) => r.date))];
    expect(dates).toHaveLength(30);
    expect(dates.at(-1)).toBe('2025-05-15');
    expect(dates[0]).toBe('2025-04-16');
    for (const r of rows) {
      expect(r.clicks).toBeGreaterThan(0);
      expect(r.impressions).toBeGreaterThan(r.clicks);
      expect(r.cost).toBeGreaterThan(0);
      expect(Math.round(r.cost * 100) / 100).toBe(r.cost);
    }
  });

  it('is deterministic and covers the campaigns that appear in the events', () => {
    expect(generateSpend(30, 7, { now: NOW, profiles: 1000 })).toEqual(rows);
    expect(generateSpend(30, 8, { now: NOW, profiles: 1000 })).not.toEqual(rows);
    const touched = new Set(
      EVENTS.filter((e) => e.context.campaign).map((e) => {
        const c = e.context.campaign as { source: string; medium: string; name: string };
        return `${c.source}|${c.medium}|${c.name}`;
      }),
    );
    for (const c of PAID_CAMPAIGNS) expect(touched).toContain(`${c.source}|${c.medium}|${c.name}`);
  });

  it('scales with the number of people', () => {
    const clicks = (profiles: number) =>
      generateSpend(30, 7, { now: NOW, profiles }).reduce((sum, r) => sum + r.clicks, 0);
    expect(clicks(10_000) / clicks(1000)).toBeCloseTo(10, 0);
  });

  it('writes CSV with a header', () => {
    const csv = spendCsv(rows.slice(0, 2)).split('\n');
    expect(csv[0]).toBe('date,source,medium,campaign,cost,impressions,clicks');
    expect(csv[1]).toBe(
      [
        rows[0].date,
        rows[0].source,
        rows[0].medium,
        rows[0].campaign,
        rows[0].cost,
        rows[0].impressions,
        rows[0].clicks,
      ].join(','),
    );
    expect(csv).toHaveLength(4); // two rows and the final newline
  });
});

import { describe, expect, it } from 'vitest';
import { generateDataset } from './generate.ts';
import { createRng } from './prng.ts';

describe('createRng', () => {
  it('is deterministic per seed', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    for (let i = 0; i < 1000; i++) {
      const n = a.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
    expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('generateDataset', () => {
  const ds = generateDataset({ seed: 7, people: 300 });
  const json = JSON.stringify(ds.events);

  it('is deterministic for a seed', () => {
    expect(generateDataset({ seed: 7, people: 300 })).toEqual(ds);
    expect(JSON.stringify(generateDataset({ seed: 8, people: 300 }).events)).not.toBe(json);
  });

  it('labels every event with its person and gives unique message ids', () => {
    expect(ds.stats.people).toBe(300);
    expect(new Set(ds.events.map((e) => e.personId)).size).toBe(300);
    expect(new Set(ds.events.map((e) => e.event.messageId)).size).toBe(ds.events.length);
    expect(ds.stats.events).toBe(ds.events.length);
  });

  it('writes contacts the messy ways people do', () => {
    expect(json).toMatch(/"8 \(9\d\d\) \d{3}-\d\d-\d\d"/);
    expect(json).toMatch(/"\+7 9\d\d \d{3} \d\d \d\d"/);
    expect(json).toMatch(/\+(promo|shop)@(gmail|googlemail)\.com/);
    expect(json).toMatch(/"[A-Z][a-z]+\.[A-Z][a-z]+\d*@[A-Z]/);
    expect(json).toMatch(/[А-Я][а-я]+ [А-Я][а-я]+/);
    expect(json).toMatch(/"name":"[A-Z][a-z]+ [A-Z][a-z]+"/);
    expect(json).toContain('"client_id":');
    expect(json).toContain('"crm_id"');
    expect(json).toMatch(/"birthday":"\d\d\.\d\d\.\d{4}"/);
  });

  it('delivers some events out of time order', () => {
    const times = ds.events.map((e) => e.event.timestamp);
    const outOfOrder = times.filter((t, i) => i > 0 && t < times[i - 1]).length;
    expect(outOfOrder).toBeGreaterThan(0);
    expect(ds.stats.lateEvents).toBeGreaterThan(0);
  });
});

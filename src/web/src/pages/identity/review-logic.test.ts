import { describe, expect, it } from 'vitest';
import type { CandidateProfile } from '../../api/identity.ts';
import { jobFinished, jobPercent, keyTraits, sharedValues } from './review-logic.ts';

const profile = (traits: Record<string, unknown>): CandidateProfile => ({
  id: 'p1',
  currentId: 'p1',
  traits,
  identities: [],
});

describe('review queue helpers', () => {
  it('shows the traits matching uses, in a fixed order, skipping empty and other traits', () => {
    const p = profile({ plan: 'pro', city: 'Kazan', name: 'Ann Petrova', email: '', birthday: '1990-01-02' });
    expect(keyTraits(p)).toEqual([
      { key: 'name', value: 'Ann Petrova' },
      { key: 'city', value: 'Kazan' },
      { key: 'birthday', value: '1990-01-02' },
    ]);
    expect(keyTraits(profile({ address: { city: 'Moscow', street: 'Tverskaya' } }))).toEqual([
      { key: 'address.city', value: 'Moscow' },
    ]);
    expect(keyTraits(profile({ phone: 79161234567 }))).toEqual([{ key: 'phone', value: '79161234567' }]);
  });

  it('finds the values both profiles share, ignoring case and spaces', () => {
    const a = profile({ name: 'Ann Petrova', city: 'Kazan ', email: 'a@x.ru' });
    const b = profile({ name: 'ann petrova', city: 'Kazan', email: 'a@y.ru' });
    expect([...sharedValues(a, b)].sort()).toEqual(['city=kazan', 'name=ann petrova']);
  });

  it('turns a job into a percentage', () => {
    expect(jobPercent({ status: 'queued', progress: 0, processed: 0, total: null })).toBe(0);
    expect(jobPercent({ status: 'running', progress: 0.5, processed: 10, total: 40 })).toBe(25);
    expect(jobPercent({ status: 'running', progress: 0.42, processed: 0, total: null })).toBe(42);
    expect(jobPercent({ status: 'running', progress: 2, processed: 0, total: 0 })).toBe(100);
    expect(jobPercent({ status: 'done', progress: 0.1, processed: 1, total: 50 })).toBe(100);
    expect(jobFinished({ status: 'failed' })).toBe(true);
    expect(jobFinished({ status: 'running' })).toBe(false);
  });
});

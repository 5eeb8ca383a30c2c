import { describe, expect, it } from 'vitest';
import { defaultIdentitySettings, type IdentitySettings } from '../settings.ts';
import { type ResolverEvent, resolveAll } from './resolve-all.ts';

const exactOnly: IdentitySettings = {
  ...defaultIdentitySettings,
  probabilistic: { enabled: false, threshold: 9 },
};
let seq = 0;
const ev = (fields: Omit<ResolverEvent, 'messageId' | 'timestamp'>, day = 1): ResolverEvent => ({
  messageId: `m${++seq}`,
  timestamp: new Date(Date.UTC(2024, 0, day)).toISOString(),
  ...fields,
});
const groups = (eventProfiles: Map<string, string>) => {
  const byProfile = new Map<string, string[]>();
  for (const [m, p] of eventProfiles) byProfile.set(p, [...(byProfile.get(p) ?? []), m]);
  return [...byProfile.values()].map((ms) => ms.sort()).sort();
};

describe('resolveAll', () => {
  it('links anonymous browsing to the login, across devices and messy contact data', () => {
    const events = [
      ev({ anonymousId: 'web-1' }),
      ev({
        anonymousId: 'web-1',
        userId: 'u1',
        traits: { email: 'Ivan.Petrov+promo@gmail.com', name: 'Иван' },
      }),
      ev({ anonymousId: 'app-1', context: { device: { id: 'DEV-1', type: 'ios' } } }),
      ev({ anonymousId: 'app-1', traits: { email: 'ivanpetrov@googlemail.com' } }),
      ev({ client_id: 'CID-9', phone: '8 (916) 123-45-67' }),
      ev({ anonymousId: 'web-1', traits: { phone: '+7 916 123 45 67' } }),
    ];
    const r = resolveAll(events, exactOnly);
    expect(new Set(r.eventProfiles.values()).size).toBe(1);
    expect(r.profiles.size).toBe(1);
    const [profile] = r.profiles.values();
    expect(profile.identifiers.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      'anonymous_id:CID-9',
      'anonymous_id:app-1',
      'anonymous_id:web-1',
      'device_id:DEV-1',
      'email:ivanpetrov@gmail.com',
      'phone:+79161234567',
      'user_id:u1',
    ]);
    // The app's email form merges the app into the user; the seed-style client with a phone
    // merges last, when the web cookie shows up with the same phone.
    expect(r.merges.map((m) => [m.reason, m.messageId])).toEqual([
      ['exact_identifier', events[3].messageId],
      ['exact_identifier', events[5].messageId],
    ]);
    expect(profile.traits.name.value).toBe('Иван');
  });

  it('keeps a family tablet with its first user and marks it shared', () => {
    const events = [
      ev({ anonymousId: 'tablet', userId: 'alice' }, 1),
      ev({ anonymousId: 'tablet', userId: 'bob' }, 2),
      ev({ anonymousId: 'tablet' }, 3),
      ev({ anonymousId: 'tablet', traits: { email: 'bob@mail.ru' } }, 4),
    ];
    const r = resolveAll(events, exactOnly);
    const [alice, bob, anon, form] = events.map((e) => r.eventProfiles.get(e.messageId));
    expect(bob).not.toBe(alice);
    expect(anon).toBe(alice);
    expect(form).not.toBe(alice);
    expect(r.counts.shared).toBe(1);
    expect(r.profiles.get(alice!)!.identifiers).toContainEqual({
      kind: 'anonymous_id',
      value: 'tablet',
      shared: true,
    });
  });

  it('counts rejected values and never links through them', () => {
    const r = resolveAll(
      [
        ev({ anonymousId: 'a', context: { device: { id: '00000000-0000-0000-0000-000000000000' } } }),
        ev({ anonymousId: 'b', context: { device: { id: '00000000-0000-0000-0000-000000000000' } } }),
        ev({ anonymousId: 'c', traits: { phone: '12345' } }),
        ev({ anonymousId: 'd', traits: { phone: '12345' } }),
      ],
      exactOnly,
    );
    expect(r.profiles.size).toBe(4);
    expect(r.counts.rejected).toBe(4);
  });

  it('merges probabilistically only when the settings allow it, and records why', () => {
    const events = [
      ev({
        userId: 'u1',
        traits: { name: 'Иван Петров', birthday: '1985-03-12', email: 'ivan.petrov85@mail.ru' },
      }),
      ev({
        context: { externalIds: [{ id: 'CRM-1', type: 'crm_id' }] },
        traits: { name: 'Petrov Ivan', birthday: '12.03.1985' },
        source: 'crm',
      }),
      ev({ userId: 'u2', traits: { name: 'Иван Петров', birthday: '1990-01-01' } }),
    ];
    expect(resolveAll(events, exactOnly).profiles.size).toBe(3);
    const r = resolveAll(events, defaultIdentitySettings);
    expect(groups(r.eventProfiles)).toEqual([
      [events[0].messageId, events[1].messageId],
      [events[2].messageId],
    ]);
    expect(r.merges).toEqual([
      expect.objectContaining({ reason: 'probabilistic', score: 10, features: expect.any(Array) }),
    ]);
    expect(r.counts.probabilisticMerges).toBe(1);
  });

  it('never merges two user ids probabilistically', () => {
    const traits = { name: 'Иван Петров', birthday: '1985-03-12' };
    const r = resolveAll(
      [ev({ userId: 'u1', traits }), ev({ userId: 'u2', traits })],
      defaultIdentitySettings,
    );
    expect(r.profiles.size).toBe(2);
    expect(r.counts.candidatePairs).toBe(1);
  });
});

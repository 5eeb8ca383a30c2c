import { describe, expect, it } from 'vitest';
import type { Identifier } from './kinds.ts';
import { mergeConflicts, mergeRecords, oldestProfile, type ProfileView, planResolution } from './plan.ts';
import { defaultIdentitySettings, type IdentitySettings } from './settings.ts';

const s = defaultIdentitySettings;
type Id = [kind: string, value: string, shared?: 'shared'];

const ids = (...list: Id[]): Identifier[] => list.map(([kind, value]) => ({ kind, value }));
function profile(id: string, createdAt: number, ...list: Id[]): ProfileView {
  return {
    id,
    createdAt,
    identifiers: list.map(([kind, value, shared]) =>
      shared ? { kind, value, shared: true } : { kind, value },
    ),
  };
}
const none = { add: [], markShared: [], refused: [], blocked: [] };

describe('planResolution', () => {
  it('creates a profile when no identifier is known', () => {
    expect(planResolution(ids(['anonymous_id', 'a1'], ['email', 'x@y.ru']), [], s)).toEqual({
      action: 'create',
      ...none,
      add: ids(['email', 'x@y.ru'], ['anonymous_id', 'a1']),
    });
  });

  it('creates an empty profile for an event without identifiers', () => {
    expect(planResolution([], [], s)).toEqual({ action: 'create', ...none });
  });

  it('attaches to the one profile found and adds the new identifiers', () => {
    const p = profile('p1', 1, ['anonymous_id', 'a1']);
    expect(
      planResolution(ids(['anonymous_id', 'a1'], ['user_id', 'u1'], ['anonymous_id', 'a1']), [p], s),
    ).toEqual({
      action: 'attach',
      profileId: 'p1',
      via: 'identifier',
      ...none,
      add: ids(['user_id', 'u1']),
    });
  });

  it('merges several profiles into the oldest (anonymous → login)', () => {
    const web = profile('p_web', 30, ['anonymous_id', 'a1']);
    const app = profile('p_app', 20, ['device_id', 'd1'], ['anonymous_id', 'a2']);
    const user = profile('p_user', 10, ['user_id', 'u1'], ['email', 'x@y.ru']);
    const plan = planResolution(
      ids(['anonymous_id', 'a1'], ['device_id', 'd1'], ['user_id', 'u1'], ['phone', '+79161234567']),
      [web, app, user],
      s,
    );
    expect(plan).toEqual({
      action: 'merge',
      survivorId: 'p_user',
      mergedIds: ['p_app', 'p_web'],
      reason: 'exact_identifier',
      identifiers: ids(['user_id', 'u1'], ['device_id', 'd1'], ['anonymous_id', 'a1']),
      ...none,
      add: ids(['phone', '+79161234567']),
    });
  });

  it('breaks age ties by id', () => {
    const plan = planResolution(
      ids(['email', 'a@b.ru'], ['anonymous_id', 'a1']),
      [profile('p_b', 5, ['anonymous_id', 'a1']), profile('p_a', 5, ['email', 'a@b.ru'])],
      s,
    );
    expect(plan).toMatchObject({ action: 'merge', survivorId: 'p_a', mergedIds: ['p_b'] });
  });

  it('never merges two user_ids: a device seen with a second user stays with the first, shared', () => {
    const alice = profile(
      'p_alice',
      1,
      ['user_id', 'alice'],
      ['device_id', 'tablet'],
      ['anonymous_id', 'a1'],
    );
    const plan = planResolution(
      ids(['user_id', 'bob'], ['device_id', 'tablet'], ['anonymous_id', 'a1']),
      [alice],
      s,
    );
    expect(plan).toEqual({
      action: 'create',
      add: ids(['user_id', 'bob']),
      markShared: [
        { kind: 'device_id', value: 'tablet', profileId: 'p_alice' },
        { kind: 'anonymous_id', value: 'a1', profileId: 'p_alice' },
      ],
      refused: [],
      blocked: [
        {
          profileId: 'p_alice',
          via: { kind: 'device_id', value: 'tablet' },
          conflicts: [{ kind: 'user_id', maxValues: 1, values: ['alice', 'bob'] }],
        },
        {
          profileId: 'p_alice',
          via: { kind: 'anonymous_id', value: 'a1' },
          conflicts: [{ kind: 'user_id', maxValues: 1, values: ['alice', 'bob'] }],
        },
      ],
    });
  });

  it('attaches to the known user and marks the other user’s device shared', () => {
    const bob = profile('p_bob', 1, ['user_id', 'bob']);
    const alice = profile('p_alice', 2, ['user_id', 'alice'], ['anonymous_id', 'a1']);
    const plan = planResolution(ids(['anonymous_id', 'a1'], ['user_id', 'bob']), [alice, bob], s);
    expect(plan).toMatchObject({
      action: 'attach',
      profileId: 'p_bob',
      add: [],
      markShared: [{ kind: 'anonymous_id', value: 'a1', profileId: 'p_alice' }],
    });
  });

  it('leaves a non-shareable identifier of another user where it is (conflict)', () => {
    const alice = profile('p_alice', 1, ['user_id', 'alice'], ['email', 'family@mail.ru']);
    const plan = planResolution(ids(['user_id', 'bob'], ['email', 'family@mail.ru']), [alice], s);
    expect(plan).toMatchObject({
      action: 'create',
      add: ids(['user_id', 'bob']),
      markShared: [],
      refused: [{ kind: 'email', value: 'family@mail.ru', reason: 'conflict', profileId: 'p_alice' }],
    });
  });

  it('lets the higher-priority identifier win inside an event', () => {
    // email (priority 2) finds Bob; the cookie (priority 6) belongs to Alice.
    const alice = profile('p_alice', 1, ['user_id', 'alice'], ['anonymous_id', 'a1']);
    const bob = profile('p_bob', 2, ['user_id', 'bob'], ['email', 'bob@mail.ru']);
    const plan = planResolution(ids(['anonymous_id', 'a1'], ['email', 'bob@mail.ru']), [alice, bob], s);
    expect(plan).toMatchObject({
      action: 'attach',
      profileId: 'p_bob',
      markShared: [{ kind: 'anonymous_id', value: 'a1', profileId: 'p_alice' }],
    });
  });

  it('attaches an event with only a shared identifier to its owner', () => {
    const alice = profile('p_alice', 1, ['user_id', 'alice'], ['anonymous_id', 'a1', 'shared']);
    expect(planResolution(ids(['anonymous_id', 'a1']), [alice], s)).toEqual({
      action: 'attach',
      profileId: 'p_alice',
      via: 'shared_identifier',
      ...none,
    });
  });

  it('never links through a shared identifier when the event says more', () => {
    const alice = profile('p_alice', 1, ['user_id', 'alice'], ['anonymous_id', 'a1', 'shared']);
    const carol = profile('p_carol', 2, ['email', 'carol@mail.ru']);
    expect(planResolution(ids(['anonymous_id', 'a1'], ['email', 'new@mail.ru']), [alice], s)).toMatchObject({
      action: 'create',
      add: ids(['email', 'new@mail.ru']),
    });
    expect(
      planResolution(ids(['anonymous_id', 'a1'], ['email', 'carol@mail.ru']), [alice, carol], s),
    ).toMatchObject({
      action: 'attach',
      profileId: 'p_carol',
      via: 'identifier',
      add: [],
    });
  });

  it('refuses values over the per-kind limit but still attaches', () => {
    const full = profile('p1', 1, ...[1, 2, 3, 4, 5].map((i): Id => ['email', `e${i}@x.ru`]));
    expect(planResolution(ids(['email', 'e1@x.ru'], ['email', 'e6@x.ru']), [full], s)).toMatchObject({
      action: 'attach',
      profileId: 'p1',
      add: [],
      refused: [{ kind: 'email', value: 'e6@x.ru', reason: 'max_values' }],
    });
  });

  it('does not merge profiles whose values together exceed a limit', () => {
    const p1 = profile('p1', 1, ['email', 'a1@x.ru'], ['email', 'a2@x.ru'], ['email', 'a3@x.ru']);
    const p2 = profile('p2', 2, ['email', 'b1@x.ru'], ['email', 'b2@x.ru'], ['email', 'b3@x.ru']);
    const plan = planResolution(ids(['email', 'b1@x.ru'], ['email', 'a1@x.ru']), [p1, p2], s);
    expect(plan).toMatchObject({
      action: 'attach',
      profileId: 'p2',
      refused: [{ kind: 'email', value: 'a1@x.ru', reason: 'conflict', profileId: 'p1' }],
      markShared: [],
    });
    expect(plan.blocked[0].conflicts).toEqual([
      {
        kind: 'email',
        maxValues: 5,
        values: ['a1@x.ru', 'a2@x.ru', 'a3@x.ru', 'b1@x.ru', 'b2@x.ru', 'b3@x.ru'],
      },
    ]);
  });

  it('still attaches to a profile already over a limit that was lowered later', () => {
    const legacy = profile('p1', 1, ...[1, 2, 3, 4, 5, 6, 7].map((i): Id => ['email', `e${i}@x.ru`]));
    expect(planResolution(ids(['email', 'e7@x.ru'], ['anonymous_id', 'a1']), [legacy], s)).toMatchObject({
      action: 'attach',
      profileId: 'p1',
      add: ids(['anonymous_id', 'a1']),
      blocked: [],
    });
  });

  it('gives a new user_id to an anonymous profile found by its cookie', () => {
    const anon = profile('p1', 1, ['anonymous_id', 'a1']);
    expect(planResolution(ids(['anonymous_id', 'a1'], ['user_id', 'u1']), [anon], s)).toMatchObject({
      action: 'attach',
      profileId: 'p1',
      add: ids(['user_id', 'u1']),
    });
  });

  it('keeps one user_id when an event carries two', () => {
    expect(planResolution(ids(['user_id', 'u1'], ['user_id', 'u2']), [], s)).toMatchObject({
      action: 'create',
      add: ids(['user_id', 'u1']),
      refused: [{ kind: 'user_id', value: 'u2', reason: 'max_values' }],
    });
  });

  it('never links through non-identifying kinds, but stores them', () => {
    const settings: IdentitySettings = {
      ...s,
      identifiers: s.identifiers.map((r) => (r.kind === 'push_token' ? { ...r, identifies: false } : r)),
    };
    const other = profile('p_other', 1, ['push_token', 't1']);
    expect(planResolution(ids(['push_token', 't1'], ['anonymous_id', 'a1']), [other], settings)).toEqual({
      action: 'create',
      ...none,
      add: ids(['push_token', 't1'], ['anonymous_id', 'a1']),
    });
    const mine = profile('p_mine', 2, ['anonymous_id', 'a1'], ['push_token', 't1']);
    expect(
      planResolution(ids(['push_token', 't1'], ['anonymous_id', 'a1']), [other, mine], settings),
    ).toMatchObject({
      action: 'attach',
      profileId: 'p_mine',
      add: [],
    });
  });

  it('respects a custom priority order', () => {
    const settings: IdentitySettings = {
      ...s,
      identifiers: [{ kind: 'crm_id', identifies: true, maxValues: 1, shareable: false }, ...s.identifiers],
    };
    // crm_id outranks user_id: the CRM profile wins, the new user_id is refused.
    const crm = profile('p_crm', 1, ['crm_id', 'C1'], ['user_id', 'u1']);
    expect(planResolution(ids(['user_id', 'u2'], ['crm_id', 'C1']), [crm], settings)).toMatchObject({
      action: 'attach',
      profileId: 'p_crm',
      refused: [{ kind: 'user_id', value: 'u2', reason: 'max_values' }],
    });
  });

  it('does not depend on the order of found profiles', () => {
    const found = [
      profile('p1', 3, ['anonymous_id', 'a1']),
      profile('p2', 1, ['user_id', 'u1'], ['device_id', 'd1']),
      profile('p3', 2, ['user_id', 'u2'], ['email', 'e@x.ru']),
      profile('p4', 4, ['phone', '+79161234567']),
    ];
    const event = ids(
      ['anonymous_id', 'a1'],
      ['device_id', 'd1'],
      ['email', 'e@x.ru'],
      ['phone', '+79161234567'],
    );
    const expected = planResolution(event, found, s);
    // email (priority 2) brings u2's p3 in first; d1 then leads to u1's p2, which cannot join.
    expect(expected).toMatchObject({
      action: 'merge',
      survivorId: 'p3',
      mergedIds: ['p1', 'p4'],
      markShared: [{ kind: 'device_id', value: 'd1', profileId: 'p2' }],
    });
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ]) {
      expect(
        planResolution(
          event,
          order.map((i) => found[i]),
          s,
        ),
      ).toEqual(expected);
    }
  });
});

describe('mergeConflicts and oldestProfile', () => {
  it('reports the limits a merge would break', () => {
    const a = profile('a', 1, ['user_id', 'u1'], ['anonymous_id', 'x']);
    const b = profile('b', 2, ['user_id', 'u2']);
    const c = profile('c', 0, ['email', 'e@x.ru']);
    expect(mergeConflicts([a, b], s)).toEqual([{ kind: 'user_id', maxValues: 1, values: ['u1', 'u2'] }]);
    expect(mergeConflicts([a, c], s)).toEqual([]);
    expect(mergeConflicts([c, a, b], s)).toEqual([{ kind: 'user_id', maxValues: 1, values: ['u1', 'u2'] }]);
    expect(oldestProfile([a, b, c]).id).toBe('c');
  });
});

describe('mergeRecords', () => {
  it('records when, why, which identifiers and which event', () => {
    const plan = planResolution(
      ids(['user_id', 'u1'], ['anonymous_id', 'a1']),
      [profile('p1', 1, ['user_id', 'u1']), profile('p2', 2, ['anonymous_id', 'a1'])],
      s,
    );
    expect(mergeRecords(plan, { messageId: 'm1', at: '2024-12-07T10:00:00.000Z' })).toEqual([
      {
        survivorId: 'p1',
        mergedId: 'p2',
        at: '2024-12-07T10:00:00.000Z',
        reason: 'exact_identifier',
        identifiers: ids(['user_id', 'u1'], ['anonymous_id', 'a1']),
        messageId: 'm1',
      },
    ]);
    expect(mergeRecords(planResolution([], [], s), { at: '2024-12-07T10:00:00.000Z' })).toEqual([]);
  });
});

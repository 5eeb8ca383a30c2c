import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifierKey } from '../kinds.ts';
import { defaultIdentitySettings, type IdentitySettings, ruleFor } from '../settings.ts';
import { type ResolverEvent, resolveAll } from './resolve-all.ts';

/** Small pools so that events collide often. */
const eventFields = (withUsers: boolean) =>
  fc.record(
    {
      userId: withUsers ? fc.constantFrom('u0', 'u1', 'u2', 'u3') : fc.constant(undefined),
      anonymousId: fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'),
      email: fc.constantFrom('e0@x.ru', 'e1@x.ru', 'e2@x.ru', 'e3@x.ru', 'e4@x.ru', 'e5@x.ru'),
      device: fc.constantFrom('d0', 'd1', 'd2', 'd3', 'd4'),
    },
    { requiredKeys: [] },
  );

const stream = (withUsers: boolean) =>
  fc.array(eventFields(withUsers), { minLength: 1, maxLength: 30 }).map((list) =>
    list.map(
      (f, i): ResolverEvent => ({
        messageId: `m${i}`,
        timestamp: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        ...(f.userId ? { userId: f.userId } : {}),
        ...(f.anonymousId ? { anonymousId: f.anonymousId } : {}),
        ...(f.email ? { traits: { email: f.email } } : {}),
        ...(f.device ? { context: { device: { id: f.device } } } : {}),
      }),
    ),
  );

const exact = (overrides: Partial<IdentitySettings> = {}): IdentitySettings => ({
  ...defaultIdentitySettings,
  probabilistic: { enabled: false, threshold: 9 },
  ...overrides,
});

/** Events grouped by profile, as a canonical list of sorted message id lists. */
function partition(eventProfiles: Map<string, string>): string[][] {
  const groups = new Map<string, string[]>();
  for (const [m, p] of eventProfiles) groups.set(p, [...(groups.get(p) ?? []), m]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Connected components of "events that share an identifier" (the expected answer without limits). */
function components(events: ResolverEvent[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const e of events) {
    const keys = [
      e.anonymousId && `a:${e.anonymousId}`,
      (e.traits as { email?: string } | undefined)?.email && `e:${(e.traits as { email: string }).email}`,
      e.context?.device?.id && `d:${e.context.device.id}`,
    ].filter((k): k is string => typeof k === 'string');
    for (const k of keys) union(e.messageId, k);
  }
  return partition(new Map(events.map((e) => [e.messageId, find(e.messageId)])));
}

describe('resolveAll invariants', () => {
  const tight = exact({
    identifiers: defaultIdentitySettings.identifiers.map((r) =>
      r.kind === 'email' ? { ...r, maxValues: 2 } : r.kind === 'anonymous_id' ? { ...r, maxValues: 3 } : r,
    ),
  });

  it('never breaks a limit, never gives one identifier two profiles, places every event', () => {
    fc.assert(
      fc.property(stream(true), (events) => {
        const r = resolveAll(events, tight);
        const owners = new Map<string, string>();
        for (const profile of r.profiles.values()) {
          const counts = new Map<string, number>();
          for (const id of profile.identifiers) {
            counts.set(id.kind, (counts.get(id.kind) ?? 0) + 1);
            expect(owners.get(identifierKey(id))).toBeUndefined();
            owners.set(identifierKey(id), profile.id);
          }
          for (const [kind, n] of counts) expect(n).toBeLessThanOrEqual(ruleFor(kind, tight).maxValues);
          expect(counts.get('user_id') ?? 0).toBeLessThanOrEqual(1);
        }
        for (const e of events) expect(r.profiles.has(r.eventProfiles.get(e.messageId)!)).toBe(true);
      }),
    );
  });

  it('without limits in play, profiles are the connected components whatever the arrival order', () => {
    const roomy = exact({
      identifiers: defaultIdentitySettings.identifiers.map((r) => ({
        ...r,
        maxValues: r.kind === 'user_id' ? 1 : 1000,
      })),
    });
    fc.assert(
      fc.property(
        stream(false).chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          const expected = components(events);
          expect(partition(resolveAll(events, roomy).eventProfiles)).toEqual(expected);
          expect(partition(resolveAll(shuffled, roomy).eventProfiles)).toEqual(expected);
        },
      ),
    );
  });

  it('separates events of different user ids whatever the arrival order', () => {
    fc.assert(
      fc.property(
        stream(true).chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([, shuffled]) => {
          const r = resolveAll(shuffled, tight);
          const userOf = new Map<string, string>();
          for (const e of shuffled) {
            if (!e.userId) continue;
            const profile = r.eventProfiles.get(e.messageId)!;
            expect(userOf.get(profile) ?? e.userId).toBe(e.userId);
            userOf.set(profile, e.userId as string);
          }
        },
      ),
    );
  });
});

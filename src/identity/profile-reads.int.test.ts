import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackedEvent } from '../../test/helpers/events.ts';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import type { Principal } from '../auth/index.ts';
import type { TrackedEvent } from '../core/tracking/index.ts';

/** The cached, batched read path never answers with what a change already replaced. */
describe('profile reads (cache and batching) reflect every change at once', () => {
  let t: TestPlatform;
  let owner: Principal;
  let n = 0;
  const resolve = (e: Partial<TrackedEvent>) => {
    const at = new Date(Date.now() + n * 1000);
    const event = trackedEvent({ messageId: `m-${++n}`, ...e }, at);
    return t.platform.identity.resolver.resolve([
      { workspaceId: owner.workspaceId, sourceId: 'src_t', event },
    ]);
  };
  const profiles = () => t.platform.identity.profiles;
  const byEmail = (email: string) => profiles().lookup(owner, `email:${email}`);

  beforeAll(async () => {
    t = await createTestPlatform();
    owner = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('trait updates, merges and erasure show on the next read of a cached profile', async () => {
    const [ann] = await resolve({
      userId: 'u-ann',
      anonymousId: 'a-ann',
      traits: { email: 'ann@example.com', name: 'Ann' },
    });
    expect((await profiles().get(owner, ann)).traits.name).toBe('Ann');
    expect((await byEmail('ann@example.com')).id).toBe(ann); // both now cached

    await resolve({ userId: 'u-ann', traits: { name: 'Ann Lee' } });
    expect((await profiles().get(owner, ann)).traits.name).toBe('Ann Lee');
    expect((await byEmail('ann@example.com')).traits.name).toBe('Ann Lee');

    // A second anonymous profile with its own email, read (cached), then merged into Ann's.
    const [other] = await resolve({ anonymousId: 'a-phone', traits: { email: 'ann.work@example.com' } });
    expect(other).not.toBe(ann);
    expect((await byEmail('ann.work@example.com')).id).toBe(other);
    await resolve({ userId: 'u-ann', anonymousId: 'a-phone' });
    const merged = await byEmail('ann.work@example.com');
    expect(merged.id).toBe(ann);
    expect(merged.redirectedFrom).toBeUndefined();
    expect(merged.mergedFrom).toContain(other);
    const redirected = await profiles().get(owner, other);
    expect(redirected).toMatchObject({ id: ann, redirectedFrom: other });

    await profiles().erase(owner, ann);
    await expect(profiles().get(owner, ann)).rejects.toThrow(/not found/i);
    await expect(profiles().get(owner, other)).rejects.toThrow(/not found/i);
    await expect(byEmail('ann@example.com')).rejects.toThrow(/not found/i);
  });

  it('concurrent reads share queries and a read racing a write does not leave a stale copy', async () => {
    const [bob] = await resolve({ userId: 'u-bob', traits: { email: 'bob@example.com', plan: 'free' } });
    for (let round = 0; round < 5; round++) {
      const plan = `plan-${round}`;
      const reads = Array.from({ length: 20 }, () => profiles().get(owner, bob));
      await Promise.all([...reads, resolve({ userId: 'u-bob', traits: { plan } })]);
      expect((await profiles().get(owner, bob)).traits.plan).toBe(plan);
      expect((await byEmail('bob@example.com')).traits.plan).toBe(plan);
    }
  });
});

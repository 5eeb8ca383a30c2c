import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackedEvent } from '../../test/helpers/events.ts';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import type { Principal } from '../auth/index.ts';
import type { TrackedEvent } from '../core/tracking/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';

/** The node-local profile documents follow every change and are rebuilt when lost. */
describe('profile documents (LMDB)', () => {
  let t: TestPlatform;
  let owner: Principal;
  let n = 0;
  const resolve = (e: Partial<TrackedEvent>, platform: Platform = t.platform) => {
    const at = new Date(Date.now() + n * 1000);
    const event = trackedEvent({ messageId: `d-${++n}`, ...e }, at);
    return platform.identity.resolver.resolve([{ workspaceId: owner.workspaceId, sourceId: 'src_t', event }]);
  };
  const profiles = () => t.platform.identity.profiles;
  const store = () => {
    const s = profiles().documents.store;
    if (!s) throw new Error('profile documents are off');
    return s;
  };
  const doc = (id: string) => store().get(owner.workspaceId, id);

  beforeAll(async () => {
    t = await createTestPlatform();
    owner = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores a read profile, drops it on a change and stores the new one on the next read', async () => {
    const [ann] = await resolve({ userId: 'd-ann', traits: { email: 'ann@docs.example', name: 'Ann' } });
    expect(doc(ann)).toBeUndefined();
    await profiles().get(owner, ann);
    expect(doc(ann)).toMatchObject({ id: ann, traits: { name: 'Ann' } });
    expect(store().holder(owner.workspaceId, 'email', 'ann@docs.example')).toBe(ann);

    await resolve({ userId: 'd-ann', traits: { name: 'Ann Lee' } });
    expect(doc(ann)).toBeUndefined();
    expect((await profiles().lookup(owner, 'email:ann@docs.example')).traits.name).toBe('Ann Lee');
    expect(doc(ann)).toMatchObject({ traits: { name: 'Ann Lee' } });
  });

  it('keeps a redirect for a merged-away profile and forgets erased ones', async () => {
    const [bob] = await resolve({ userId: 'd-bob', traits: { email: 'bob@docs.example' } });
    const [anon] = await resolve({ anonymousId: 'd-bob-phone', traits: { email: 'bob.2@docs.example' } });
    await profiles().get(owner, anon);
    expect(doc(anon)).toMatchObject({ id: anon });
    await resolve({ userId: 'd-bob', anonymousId: 'd-bob-phone' });
    expect(await profiles().get(owner, anon)).toMatchObject({ id: bob, redirectedFrom: anon });
    expect(doc(anon)).toEqual({ redirect: bob });
    expect(doc(bob)).toMatchObject({ mergedFrom: [anon] });

    await profiles().erase(owner, bob);
    expect(doc(bob)).toBeUndefined();
    expect(doc(anon)).toBeUndefined();
    await expect(profiles().get(owner, bob)).rejects.toThrow(/not found/i);
    await expect(profiles().get(owner, anon)).rejects.toThrow(/not found/i);
    await expect(profiles().lookup(owner, 'email:bob.2@docs.example')).rejects.toThrow(/not found/i);
    expect(doc(bob)).toBeUndefined();
  });

  it('builds every document in the background when the directory is gone', async () => {
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) => resolve({ userId: `d-many-${i}`, traits: { n: i } })),
    );
    await t.platform.close();
    const dir = join(t.dataDir, 'profile-docs');
    expect(existsSync(dir)).toBe(true);
    rmSync(dir, { recursive: true });

    const again = await createPlatform(t.config, pino({ level: 'silent' }));
    try {
      const s = again.identity.profiles.documents.store!;
      const deadline = Date.now() + 20_000;
      while (s.needsBuild(owner.workspaceId) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(s.needsBuild(owner.workspaceId)).toBe(false);
      for (const [id] of ids) expect(s.get(owner.workspaceId, id)).toMatchObject({ id });
      const i = 7;
      expect((await again.identity.profiles.get(owner, ids[i][0])).traits.n).toBe(i);
      // A change after the build still drops the document.
      await resolve({ userId: 'd-many-7', traits: { n: 70 } }, again);
      expect(s.get(owner.workspaceId, ids[i][0])).toBeUndefined();
      expect((await again.identity.profiles.get(owner, ids[i][0])).traits.n).toBe(70);
    } finally {
      await again.close();
    }
  });

  it('keeps what a clean close left and starts over after a crash', async () => {
    const { openProfileDocs } = await import('./profile-docs.ts');
    const log = pino({ level: 'silent' });
    /** Writes one document in another process, which exits with or without closing the store. */
    const writeInChild = (dir: string, close: boolean) =>
      execFileSync(process.execPath, [
        '--import',
        'tsx',
        '-e',
        `const m = await import(${JSON.stringify(new URL('./profile-docs.ts', import.meta.url).href)});
         const d = m.openProfileDocs(${JSON.stringify(dir)}, { info() {}, warn() {} });
         d.put('ws', [['p1', { redirect: 'p2' }]]);
         ${close ? 'd.close();' : ''} process.exit(0);`,
      ]);
    const clean = join(t.dataDir, 'clean-docs');
    writeInChild(clean, true);
    const a = openProfileDocs(clean, log);
    expect(a.get('ws', 'p1')).toEqual({ redirect: 'p2' });
    a.drop('ws', '*');
    expect(a.get('ws', 'p1')).toBeUndefined();
    expect(a.needsBuild('ws')).toBe(true);
    a.close();

    const crashed = join(t.dataDir, 'crashed-docs');
    writeInChild(crashed, false);
    const b = openProfileDocs(crashed, log);
    expect(b.get('ws', 'p1')).toBeUndefined();
    b.close();
  });
});

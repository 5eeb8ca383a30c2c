import { describe, expect, it } from 'vitest';
import type { TokenRow, WorkspaceRepository } from '../storage/repositories/workspaces.ts';
import { hashToken, tokenService } from './tokens.ts';

const owner = { workspaceId: 'ws_1', role: 'owner' as const, tokenId: 'tok_admin', instanceOwner: true };

/** The token table in memory, counting lookups; `gate` holds a lookup until released. */
function tokenTable() {
  const rows = new Map<string, TokenRow & { hash: string; revoked: boolean }>();
  const state = { lookups: 0, gate: null as Promise<void> | null };
  const repo = {
    async findTokenByHash(hash: string) {
      state.lookups++;
      const row = [...rows.values()].find((r) => r.hash === hash && !r.revoked) ?? null;
      if (state.gate) await state.gate;
      return row;
    },
    async first() {
      return { id: 'ws_1' };
    },
    async touchToken() {},
    async revokeToken(workspaceId: string, id: string) {
      const row = rows.get(id);
      if (!row || row.workspaceId !== workspaceId || row.revoked) return false;
      row.revoked = true;
      return true;
    },
  } as unknown as WorkspaceRepository;
  const add = (id: string, secret: string) =>
    rows.set(id, {
      id,
      workspaceId: 'ws_1',
      name: id,
      role: 'admin',
      tokenPrefix: secret.slice(0, 8),
      createdAt: new Date(),
      lastUsedAt: null,
      hash: hashToken(secret),
      revoked: false,
    });
  return { repo, add, state };
}

describe('token authentication cache', () => {
  it('looks a valid token up once, never caches unknown ones', async () => {
    const t = tokenTable();
    t.add('tok_1', 'dp_secret_one');
    const tokens = tokenService(t.repo);
    for (let i = 0; i < 3; i++) {
      expect((await tokens.authenticate('Bearer dp_secret_one')).tokenId).toBe('tok_1');
    }
    expect(t.state.lookups).toBe(1);
    for (let i = 0; i < 2; i++) {
      await expect(tokens.authenticate('Bearer dp_nobody')).rejects.toThrow(/Invalid or revoked/);
    }
    expect(t.state.lookups).toBe(3);
  });

  it('a revoked token answers 401 at once', async () => {
    const t = tokenTable();
    t.add('tok_1', 'dp_secret_one');
    const tokens = tokenService(t.repo);
    await tokens.authenticate('Bearer dp_secret_one');
    await tokens.revoke(owner, 'tok_1');
    await expect(tokens.authenticate('Bearer dp_secret_one')).rejects.toThrow(/Invalid or revoked/);
  });

  it('caches by the header as sent: a revoke ends every spelling of the token at once', async () => {
    const t = tokenTable();
    t.add('tok_1', 'dp_secret_one');
    t.add('tok_2', 'dp_secret_two');
    const tokens = tokenService(t.repo);
    const spellings = ['Bearer dp_secret_one', 'bearer  dp_secret_one ', 'BEARER dp_secret_one'];
    for (let i = 0; i < 2; i++)
      for (const h of spellings) expect((await tokens.authenticate(h)).tokenId).toBe('tok_1');
    expect(t.state.lookups).toBe(3);
    await tokens.authenticate('Bearer dp_secret_two');
    await tokens.revoke(owner, 'tok_1');
    for (const h of spellings) await expect(tokens.authenticate(h)).rejects.toThrow(/Invalid or revoked/);
    // Other tokens stay cached.
    const before = t.state.lookups;
    expect((await tokens.authenticate('Bearer dp_secret_two')).tokenId).toBe('tok_2');
    expect(t.state.lookups).toBe(before);
    await expect(tokens.authenticate(undefined)).rejects.toThrow(/Missing Authorization/);
    await expect(tokens.authenticate('Basic abc')).rejects.toThrow(/Missing Authorization/);
  });

  it('a lookup that raced a revocation is not cached', async () => {
    const t = tokenTable();
    t.add('tok_1', 'dp_secret_one');
    const tokens = tokenService(t.repo);
    let release = () => {};
    t.state.gate = new Promise<void>((r) => {
      release = r;
    });
    const racing = tokens.authenticate('Bearer dp_secret_one'); // read the row before the revoke
    await new Promise((r) => setTimeout(r, 5));
    t.state.gate = null;
    await tokens.revoke(owner, 'tok_1');
    release();
    expect((await racing).tokenId).toBe('tok_1');
    await expect(tokens.authenticate('Bearer dp_secret_one')).rejects.toThrow(/Invalid or revoked/);
  });
});

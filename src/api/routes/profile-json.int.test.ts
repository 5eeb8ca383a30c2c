/**
 * Reads by id and by identifier send the stored JSON of the view as is when nothing is masked:
 * byte for byte what the object path (decode, decorate, serialise by the response schema) sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, daysAgo } from '../../segments/testing/api-fixture.ts';

describe('profile reads served from stored JSON', () => {
  let f: ApiFixture;
  let ann = '';
  let phone = '';
  let stored = 0;

  beforeAll(async () => {
    f = await apiFixture();
    const { profiles } = f.t.platform.identity;
    const getJson = profiles.getJson;
    profiles.getJson = async (p, id) => {
      const r = await getJson(p, id);
      if (r) stored++;
      return r;
    };
    const lookupJson = profiles.lookupJson;
    profiles.lookupJson = async (p, identifier) => {
      const r = await lookupJson(p, identifier);
      if (r) stored++;
      return r;
    };
    await f.send([
      {
        type: 'identify',
        userId: 'json-ann',
        traits: {
          name: 'Анна "Аня" Ли 😀',
          email: 'ann@json.example',
          plan: 'pro',
          score: 1.5,
          vip: true,
          gone: null,
          // Keys the stored-JSON helpers look for, inside the traits.
          nested: { segments: [], identities: [{ type: 'email', value: 'decoy@json.example' }] },
          note: 'a\\b"c\n\u2028',
        },
        context: { device: { id: 'dev-ann', type: 'ios', token: 'push-ann' } },
        timestamp: daysAgo(2),
      },
      { type: 'track', anonymousId: 'json-phone', event: 'Opened', timestamp: daysAgo(2) },
    ]);
    ann = await f.profileOf('json-ann');
    const r = await f.ok<{ data: { id: string }[] }>('GET', '/profiles?identifier=anonymous_id:json-phone');
    phone = r.data[0].id;
    // The anonymous profile merges into Ann's: its id now redirects.
    await f.send([
      { type: 'identify', userId: 'json-ann', anonymousId: 'json-phone', timestamp: daysAgo(1) },
    ]);
    await f.segment('VIP', { trait: 'vip', op: 'eq', value: true });
  });
  afterAll(async () => {
    await f?.close();
  });

  /** The answer of the object path (documents dropped first), then of the stored JSON. */
  async function bothWays(url: string, token?: string) {
    f.t.platform.identity.profiles.documents.store?.drop(f.workspaceId, [ann, phone]);
    const before = stored;
    const decoded = await f.call('GET', url, undefined, token);
    expect(stored).toBe(before);
    const sent = await f.call('GET', url, undefined, token);
    return { decoded, sent, fromStore: stored - before };
  }

  it.each([
    ['by id', () => `/profiles/${ann}`],
    ['by a merged-away id', () => `/profiles/${phone}`],
    ['by email', () => '/profiles?identifier=email:ANN@json.example'],
    ['by device id', () => '/profiles?identifier=device_id:dev-ann'],
  ])('sends the same bytes %s', async (_, url) => {
    const { decoded, sent, fromStore } = await bothWays(url());
    expect(fromStore).toBe(1);
    expect(decoded.statusCode).toBe(200);
    expect(sent.statusCode).toBe(200);
    expect(sent.headers['content-type']).toBe(decoded.headers['content-type']);
    expect(sent.body).toBe(decoded.body);
  });

  it('shows segments, redirectedFrom, devices and push tokens', async () => {
    const vip = (await f.ok<{ data: { id: string; name: string }[] }>('GET', '/segments')).data.find(
      (s) => s.name === 'VIP',
    );
    const { sent, fromStore } = await bothWays(`/profiles/${phone}`);
    expect(fromStore).toBe(1);
    expect(sent.json()).toMatchObject({
      id: ann,
      redirectedFrom: phone,
      mergedFrom: [phone],
      segments: [String(vip?.id)],
      devices: [{ id: 'dev-ann', type: 'ios' }],
      pushTokens: [{ token: 'push-ann', platform: 'ios', invalidated: false }],
      traits: { name: 'Анна "Аня" Ли 😀', note: 'a\\b"c\n\u2028' },
    });
  });

  it('records a full read in the audit log', async () => {
    await f.t.platform.audit.flush();
    const from = new Date().toISOString();
    await bothWays(`/profiles/${ann}`);
    await f.t.platform.audit.flush();
    const owner = await f.t.platform.tokens.authenticate(`Bearer ${f.t.ownerToken}`);
    const page = await f.t.platform.audit.list(owner, { action: 'pii.read', targetId: ann, from });
    const reads = page.data.reduce((n, e) => n + ((e.detail as { count?: number } | null)?.count ?? 1), 0);
    expect(reads).toBe(2);
  });

  it('masks for a role without pii:read (the object path)', async () => {
    const viewer = await f.ok<{ token: string }>('POST', '/tokens', { name: 'viewer', role: 'viewer' });
    const { decoded, sent, fromStore } = await bothWays(`/profiles/${ann}`, viewer.token);
    expect(fromStore).toBe(0);
    expect(sent.body).toBe(decoded.body);
    expect(sent.json().traits.email).toBe('a***@j***.example');
  });

  it('answers 404 for an unknown id or identifier', async () => {
    expect((await f.call('GET', '/profiles/prf_nobody')).statusCode).toBe(404);
    expect((await f.call('GET', '/profiles?identifier=email:nobody@json.example')).statusCode).toBe(404);
    expect((await f.call('GET', '/profiles?identifier=nonsense')).statusCode).toBe(400);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';
import {
  type Dataset,
  generateDataset,
  type PairwiseMetrics,
  pairwiseMetrics,
  type ResolverEvent,
  resolveAll,
} from '../core/identity/eval/index.ts';
import { defaultIdentitySettings } from '../core/identity/index.ts';
import { sql } from '../core/sql.ts';
import { currentProfileEvents } from '../ingest/index.ts';

/**
 * The evaluation harness against the real service: a labelled synthetic dataset goes through the
 * collection API (Segment batches; seed 004 events to /v1/collect), the identity.match job runs,
 * and every stored event's current profile is scored pairwise against the person who caused it.
 */
const SEED = 20241207;
const PEOPLE = 400;
const CHUNK = 400;

type Route = '/v1/batch' | '/v1/collect';

/**
 * The HTTP form of a generated event: its route, its source (the site's web and app SDKs share
 * one write key, the CRM import has its own) and the body item.
 */
function requestOf(e: ResolverEvent): { route: Route; source: string; item: Record<string, unknown> } {
  const { messageId, timestamp, type = 'track' } = e;
  const source = e.source === 'crm' ? 'crm' : 'site';
  const base = { type, messageId, timestamp, ...(type === 'track' ? { event: 'Product Viewed' } : {}) };
  if (e.client_id !== undefined) {
    const { client_id, device_type, user_id, traits } = e;
    return { route: '/v1/collect', source, item: { ...base, client_id, device_type, user_id, traits } };
  }
  // A CRM row has no cookie and no login: its importer sends the CRM id as the anonymous id.
  const crmId = (e.context?.externalIds as { id: string }[] | undefined)?.[0]?.id;
  return {
    route: '/v1/batch',
    source,
    item: {
      ...base,
      userId: e.userId,
      anonymousId: e.anonymousId ?? crmId,
      traits: e.traits,
      context: e.context,
    },
  };
}

function report(label: string, m: PairwiseMetrics): void {
  const f = (x: number) => x.toFixed(4);
  console.info(
    `identity eval via API (${label}): precision ${f(m.precision)} recall ${f(m.recall)} F1 ${f(m.f1)} ` +
      `(true pairs ${m.truePairs}, predicted ${m.predictedPairs}, correct ${m.correctPairs})`,
  );
}

describe('identity resolution through the collection API on a labelled dataset', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let workspaceId: string;
  let dataset: Dataset;
  let truth: Map<string, string>;
  const auth = () => ({ authorization: `Bearer ${t.ownerToken}` });

  /** messageId → the event's current profile, straight from the events table. */
  async function storedAssignment(): Promise<Map<string, string>> {
    const rows = await t.platform.stores.ch.query<{ message_id: string; current_profile_id: string }>(
      sql`SELECT message_id, current_profile_id FROM ${currentProfileEvents(workspaceId)}`,
      'eval',
    );
    return new Map(rows.map((r) => [r.message_id, r.current_profile_id]));
  }

  beforeAll(async () => {
    dataset = generateDataset({ seed: SEED, people: PEOPLE });
    truth = new Map(dataset.events.map((e) => [e.event.messageId, e.personId]));
    t = await createTestPlatform();
    app = await buildApp(t.platform);
    await t.platform.jobs.start();
    const keys = new Map<string, string>();
    for (const source of ['site', 'crm']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: auth(),
        payload: { name: source },
      });
      keys.set(source, res.json().writeKey);
    }
    workspaceId = (await t.platform.workspaces.resolveWriteKey(keys.get('site')!))!.workspaceId;
    // Consecutive events of one route and source go in one request, so arrival order is kept.
    const requests = dataset.events.map((e) => requestOf(e.event));
    for (let i = 0; i < requests.length; ) {
      const { route, source } = requests[i];
      const batch: Record<string, unknown>[] = [];
      while (
        i < requests.length &&
        requests[i].route === route &&
        requests[i].source === source &&
        batch.length < CHUNK
      )
        batch.push(requests[i++].item);
      const res = await app.inject({
        method: 'POST',
        url: route,
        headers: { 'x-write-key': keys.get(source)!, 'content-type': 'application/json' },
        payload: JSON.stringify({ batch }),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rejected, res.body).toBeUndefined();
    }
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('reaches precision ≥ 0.99 and F1 ≥ 0.97 after the match job', async () => {
    expect(dataset.stats.people).toBe(PEOPLE);
    expect(workspaceId).toEqual(expect.any(String));
    const exact = await storedAssignment();
    expect(exact.size).toBe(dataset.events.length);
    const before = pairwiseMetrics(exact, truth);
    report('exact identifiers only', before);

    const res = await app.inject({ method: 'POST', url: '/api/v1/identity/match', headers: auth() });
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json();
    for (let i = 0; i < 600 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await app.inject({ url: `/api/v1/jobs/${job.id}`, headers: auth() })).json();
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    console.info(`identity eval via API: match job ${JSON.stringify(job.result)}`);
    expect(job.result.merged).toBeGreaterThan(0);

    const after = await storedAssignment();
    const m = pairwiseMetrics(after, truth);
    report('after identity.match', m);
    const reference = pairwiseMetrics(
      resolveAll(
        dataset.events.map((e) => e.event),
        defaultIdentitySettings,
      ).eventProfiles,
      truth,
    );
    report('pure resolveAll reference', reference);

    // The API agrees with the events table.
    const sample = dataset.events[dataset.events.length - 1].event.messageId;
    const viaApi = (await app.inject({ url: `/api/v1/events?messageId=${sample}`, headers: auth() })).json();
    expect(viaApi.data[0].profileId).toBe(after.get(sample));

    expect(m.recall).toBeGreaterThan(before.recall);
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.f1).toBeGreaterThanOrEqual(0.97);
    // The service resolves as the pure reference does (the same functions against its stores).
    expect(Math.abs(m.f1 - reference.f1)).toBeLessThan(0.005);
  }, 300_000);

  it('an event whose profile is created and merged within one flush reports the survivor', async () => {
    const batch = [
      { type: 'page', anonymousId: 'flush-x', messageId: 'flush-1' },
      { type: 'page', anonymousId: 'flush-y', messageId: 'flush-2' },
      {
        type: 'identify',
        anonymousId: 'flush-x',
        traits: { email: 'flush@example.ru' },
        messageId: 'flush-3',
      },
      {
        type: 'identify',
        anonymousId: 'flush-y',
        traits: { email: 'flush@example.ru' },
        messageId: 'flush-4',
      },
    ];
    const key = (
      await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth(), payload: { name: 'one' } })
    ).json().writeKey;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'x-write-key': key, 'content-type': 'application/json' },
      payload: { batch },
    });
    expect(res.statusCode, res.body).toBe(200);
    const profileOf = async (messageId: string) =>
      (await app.inject({ url: `/api/v1/events?messageId=${messageId}`, headers: auth() })).json().data[0]
        .profileId;
    const owner = await profileOf('flush-1');
    expect((await app.inject({ url: `/api/v1/profiles/${owner}`, headers: auth() })).statusCode).toBe(200);
    for (const m of ['flush-2', 'flush-3', 'flush-4']) expect(await profileOf(m), m).toBe(owner);
  });
});

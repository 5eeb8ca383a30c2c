import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, daysAgo } from './testing/api-fixture.ts';

const SEGMENT_FIELDS =
  'id name description type rule schedule tags createdBy updatedBy createdAt updatedAt lastSize lastComputedAt lastDurationMs lastError stale staleReason nextRunAt realtime';

describe('GraphQL at /graphql', () => {
  let f: ApiFixture;
  let otherToken: string;

  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = f.t.ownerToken,
  ) {
    const res = await f.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: res.statusCode, body: res.json() };
  }

  beforeAll(async () => {
    f = await apiFixture();
    await f.send([
      {
        type: 'identify',
        userId: 'g1',
        traits: { email: 'g1@example.com', city: 'Москва', plan: 'pro' },
        timestamp: daysAgo(3),
      },
      {
        type: 'identify',
        userId: 'g2',
        traits: { email: 'g2@example.com', city: 'Казань', plan: 'free' },
        timestamp: daysAgo(3),
      },
    ]);
    otherToken = (await f.ok<{ token: string }>('POST', '/workspaces', { name: 'Elsewhere' })).token;
  });
  afterAll(async () => {
    await f?.close();
  });

  it('creates, reads, lists, updates and deletes segments exactly as REST does', async () => {
    const created = await gql(
      `mutation ($input: SegmentInput!) { createSegment(input: $input) { ${SEGMENT_FIELDS} } }`,
      {
        input: {
          name: 'GQL pros',
          rule: { trait: 'plan', op: 'eq', value: 'pro' },
          tags: ['gql'],
          schedule: 5,
        },
      },
    );
    expect(created.status).toBe(200);
    const seg = created.body.data.createSegment;
    expect(seg).toMatchObject({
      name: 'GQL pros',
      type: 'dynamic',
      schedule: 5,
      tags: ['gql'],
      realtime: true,
    });

    const rest = await f.ok<Record<string, unknown>>('GET', `/segments/${seg.id}`);
    const byGql = (await gql(`query ($id: ID!) { segment(id: $id) { ${SEGMENT_FIELDS} } }`, { id: seg.id }))
      .body.data.segment;
    expect(byGql).toEqual(rest);

    const list = await gql(`{ segments(tag: "gql", limit: 10) { data { id name } nextCursor } }`);
    const restList = await f.ok<{ data: { id: string; name: string }[] }>(
      'GET',
      '/segments?tag=gql&limit=10',
    );
    expect(list.body.data.segments).toEqual({
      data: restList.data.map(({ id, name }) => ({ id, name })),
      nextCursor: null,
    });

    const updated = await gql(
      `mutation ($id: ID!, $input: SegmentPatchInput!) { updateSegment(id: $id, input: $input) { name rule schedule } }`,
      {
        id: seg.id,
        input: {
          name: 'GQL Moscow',
          rule: { trait: 'city', op: 'eq', value: 'Москва' },
          schedule: '*/10 * * * *',
        },
      },
    );
    expect(updated.body.data.updateSegment).toEqual({
      name: 'GQL Moscow',
      rule: { trait: 'city', op: 'eq', value: 'Москва' },
      schedule: '*/10 * * * *',
    });
    const copy = await gql(`mutation ($id: ID!) { copySegment(id: $id, name: "Copy") { id name } }`, {
      id: seg.id,
    });
    expect(copy.body.data.copySegment.name).toBe('Copy');
    const job = await gql(`mutation ($id: ID!) { recomputeSegment(id: $id) { id kind status } }`, {
      id: seg.id,
    });
    expect(job.body.data.recomputeSegment.kind).toBe('segments.recompute');
    expect((await f.job(job.body.data.recomputeSegment.id)).result).toMatchObject({ size: 1 });

    const deleted = await gql(`mutation ($id: ID!) { deleteSegment(id: $id) }`, {
      id: copy.body.data.copySegment.id,
    });
    expect(deleted.body.data.deleteSegment).toBe(true);
    expect((await f.call('GET', `/segments/${copy.body.data.copySegment.id}`)).statusCode).toBe(404);
  });

  it('previews like POST /segments/preview', async () => {
    const rule = {
      or: [
        { trait: 'city', op: 'contains', value: 'моск' },
        { trait: 'plan', op: 'eq', value: 'free' },
      ],
    };
    const rest = await f.ok<{ size: number; sample: unknown[] }>('POST', '/segments/preview', {
      rule,
      limit: 5,
    });
    const r = await gql(`query ($rule: JSON!) { previewSegment(rule: $rule, limit: 5) { size sample } }`, {
      rule,
    });
    expect(rest.size).toBe(2);
    expect(r.body.data.previewSegment).toEqual(rest);
    // A rule written inline in the query (a literal, not a variable) works too.
    const literal = await gql(`{ previewSegment(rule: { trait: "plan", op: "eq", value: "pro" }) { size } }`);
    expect(literal.body.data.previewSegment.size).toBe(1);
  });

  it('maps errors to the REST codes, paths and statuses', async () => {
    const invalid = await gql(`mutation ($input: SegmentInput!) { createSegment(input: $input) { id } }`, {
      input: { name: 'Bad', rule: { and: [{ trait: 'plan', op: 'bogus' }] } },
    });
    const restInvalid = await f.call('POST', '/segments', {
      name: 'Bad',
      rule: { and: [{ trait: 'plan', op: 'bogus' }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions).toEqual({
      code: 'validation_failed',
      details: restInvalid.json().error.details,
    });

    const longName = await gql(
      `mutation { createSegment(input: { name: "", rule: { trait: "a", op: "exists" } }) { id } }`,
    );
    expect(longName.status).toBe(400);
    expect(longName.body.errors[0].extensions.details[0].path).toBe('/name');

    const seg = await f.ok<{ id: string }>('POST', '/segments', {
      name: 'Private',
      rule: { trait: 'plan', op: 'exists' },
    });
    const hidden = await gql(`query ($id: ID!) { segment(id: $id) { id } }`, { id: seg.id }, otherToken);
    expect(hidden.status).toBe(404);
    expect(hidden.body.errors[0].extensions.code).toBe('not_found');
    const hiddenDelete = await gql(
      `mutation ($id: ID!) { deleteSegment(id: $id) }`,
      { id: seg.id },
      otherToken,
    );
    expect(hiddenDelete.body.errors[0].extensions.code).toBe('not_found');
    expect((await gql('{ segments { data { id } } }', {}, otherToken)).body.data.segments.data).toEqual([]);

    const anonymous = await gql('{ segments { data { id } } }', {}, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('unauthorized');

    const viewer = (await f.ok<{ token: string }>('POST', '/tokens', { name: 'viewer', role: 'viewer' }))
      .token;
    const forbidden = await gql(`mutation { deleteSegment(id: "${seg.id}") }`, {}, viewer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].extensions.code).toBe('forbidden');

    const syntax = await gql('{ segments { data { id } ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions.code).toBe('validation_failed');
  });

  it('reads a profile like GET /profiles/{id}', async () => {
    const id = await f.profileOf('g1');
    const rest = await f.ok<Record<string, unknown>>('GET', `/profiles/${id}`);
    const r = await gql(`query ($id: ID!) { profile(id: $id) }`, { id });
    expect(r.body.data.profile).toEqual(rest);
    const missing = await gql(`{ profile(id: "prf_missing") }`);
    expect(missing.body.errors[0].extensions.code).toBe('not_found');
  });
});

/**
 * The analytics API around the numbers: spec validation with paths, permissions, workspace
 * scoping, saved reports, dashboards and spend uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/harness.ts';

describe('analytics API', () => {
  let h: Harness;
  let owner: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...as(token), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const tokenFor = async (role: string) => {
    const res = await call(owner, 'POST', '/tokens', { name: role, role });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().token as string;
  };
  const range = { from: '2026-01-01', to: '2026-02-01' };

  beforeAll(async () => {
    h = await createHarness();
    owner = h.t.ownerToken;
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['to before from', 'overview', { from: '2026-02-01', to: '2026-01-01' }, '/to'],
    ['not a date', 'overview', { from: 'yesterday', to: '2026-01-01' }, '/from'],
    ['unknown time zone', 'overview', { ...range, timezone: 'Mars/Olympus' }, '/timezone'],
    ['unknown field', 'overview', { ...range, colour: 'red' }, '/colour'],
    [
      'gt with a string',
      'overview',
      { ...range, filters: [{ property: 'n', op: 'gt', value: '5' }] },
      '/filters/0/value',
    ],
    [
      'exists with a value',
      'overview',
      { ...range, filters: [{ trait: 'n', op: 'exists', value: 1 }] },
      '/filters/0/value',
    ],
    [
      'property and trait',
      'overview',
      { ...range, filters: [{ property: 'a', trait: 'b', op: 'exists' }] },
      '/filters/0',
    ],
    [
      'hostile property name',
      'overview',
      { ...range, filters: [{ property: "a') OR 1=1 --", op: 'exists' }] },
      '/filters/0/property',
    ],
    ['one funnel step', 'funnel', { ...range, steps: [{ event: 'A' }] }, '/steps'],
    [
      'trait in a step',
      'funnel',
      { ...range, steps: [{ event: 'A', where: [{ trait: 'x', op: 'exists' }] }, { event: 'B' }] },
      '/steps/0/where/0/trait',
    ],
    ['start and end', 'paths', { ...range, start: 'A', end: 'B' }, '/start'],
    ['too many buckets', 'overview', { from: '2000-01-01', to: '2026-01-01' }, '/granularity'],
    ['bad breakdown', 'revenue', { ...range, breakdown: { segment: [] } }, '/breakdown'],
  ])('answers 400 with the path for %s', async (_name, kind, spec, path) => {
    const res = await call(owner, 'POST', `/reports/${kind}`, spec);
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('answers 400 naming /segmentId for a segment that is not one of the workspace', async () => {
    const missing = await call(owner, 'POST', '/reports/overview', { ...range, segmentId: 'seg_nowhere' });
    expect(missing.statusCode, missing.body).toBe(400);
    expect(missing.json().error.details).toEqual([
      { path: '/segmentId', message: 'segment seg_nowhere not found' },
    ]);
    const created = await call(owner, 'POST', '/segments', {
      name: 'pro',
      rule: { trait: 'plan', op: 'eq', value: 'pro' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const ok = await call(owner, 'POST', '/reports/overview', { ...range, segmentId: id });
    expect(ok.statusCode, ok.body).toBe(200);
    const other = await h.workspace('segment elsewhere');
    const foreign = await call(other.token, 'POST', '/reports/overview', { ...range, segmentId: id });
    expect(foreign.statusCode, foreign.body).toBe(400);
    expect(foreign.json().error.details[0].path).toBe('/segmentId');
  });

  it('binds event names and values: quotes and SQL in them are just text', async () => {
    const hostile = "x'); DROP TABLE events; --";
    const res = await call(owner, 'POST', '/reports/funnel', {
      ...range,
      steps: [{ event: hostile }, { event: 'B', where: [{ property: 'q', op: 'contains', value: hostile }] }],
      filters: [{ property: 'p', op: 'in', value: [hostile, 1, true] }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().steps.map((s: { users: number }) => s.users)).toEqual([0, 0]);
  });

  it('lets a viewer run reports but not save them, and only marketers and admins upload spend', async () => {
    const viewer = await tokenFor('viewer');
    const analyst = await tokenFor('analyst');
    const marketer = await tokenFor('marketer');
    expect((await call(viewer, 'POST', '/reports/overview', range)).statusCode).toBe(200);
    const save = await call(viewer, 'POST', '/reports/saved', { name: 'x', kind: 'overview', spec: range });
    expect(save.statusCode).toBe(403);
    const row = [{ date: '2026-01-05', source: 'yandex', medium: 'cpc', campaign: 'a', cost: 1 }];
    expect((await call(analyst, 'POST', '/marketing/spend', row)).statusCode).toBe(403);
    expect((await call(marketer, 'POST', '/marketing/spend', row)).statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/reports/overview', payload: range })).statusCode,
    ).toBe(401);
  });

  it('saves, lists, updates, runs and deletes reports, scoped to the workspace', async () => {
    const created = await call(owner, 'POST', '/reports/saved', {
      name: 'Weekly active',
      kind: 'overview',
      spec: { ...range, granularity: 'week' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const saved = created.json();
    expect(saved).toMatchObject({
      name: 'Weekly active',
      kind: 'overview',
      spec: { ...range, granularity: 'week' },
    });

    const second = (
      await call(owner, 'POST', '/reports/saved', {
        name: 'Funnel',
        kind: 'funnel',
        spec: { ...range, steps: [{ event: 'A' }, { event: 'B' }] },
      })
    ).json();
    const page1 = (await call(owner, 'GET', '/reports/saved?limit=1')).json();
    expect(page1.data.map((r: { id: string }) => r.id)).toEqual([second.id]);
    const page2 = (await call(owner, 'GET', `/reports/saved?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.data.map((r: { id: string }) => r.id)).toEqual([saved.id]);

    const bad = await call(owner, 'PATCH', `/reports/saved/${saved.id}`, { kind: 'funnel' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toContain('/spec/steps');
    const invalid = await call(owner, 'POST', '/reports/saved', {
      name: 'x',
      kind: 'retention',
      spec: { ...range, periods: 0 },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details[0].path).toBe('/spec/periods');

    const renamed = await call(owner, 'PATCH', `/reports/saved/${saved.id}`, { name: 'Weekly actives' });
    expect(renamed.json()).toMatchObject({ id: saved.id, name: 'Weekly actives', kind: 'overview' });
    const run = await call(owner, 'POST', `/reports/saved/${saved.id}/run`);
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ spec: { ...range, granularity: 'week' }, totals: { dau: 0 } });
    expect(run.json().series).toHaveLength(5);

    const other = await h.workspace('other');
    expect((await call(other.token, 'GET', `/reports/saved/${saved.id}`)).statusCode).toBe(404);
    expect((await call(other.token, 'DELETE', `/reports/saved/${saved.id}`)).statusCode).toBe(404);
    expect((await call(other.token, 'GET', '/reports/saved')).json().data).toEqual([]);

    expect((await call(owner, 'DELETE', `/reports/saved/${second.id}`)).statusCode).toBe(204);
    expect((await call(owner, 'GET', `/reports/saved/${second.id}`)).statusCode).toBe(404);
  });

  it('keeps dashboards to saved reports of the workspace and refuses to delete a report on one', async () => {
    const report = (
      await call(owner, 'POST', '/reports/saved', { name: 'Revenue', kind: 'revenue', spec: range })
    ).json();
    const unknown = await call(owner, 'POST', '/dashboards', {
      name: 'Sales',
      tiles: [
        { reportId: report.id, x: 0, y: 0, w: 6, h: 4 },
        { reportId: 'rep_missing', x: 6, y: 0, w: 6, h: 4 },
      ],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([
      { path: '/tiles/1/reportId', message: 'no saved report rep_missing' },
    ]);
    const badTile = await call(owner, 'POST', '/dashboards', {
      name: 'Sales',
      tiles: [{ reportId: report.id, x: 0, y: 0, w: 0, h: 4 }],
    });
    expect(badTile.statusCode).toBe(400);
    expect(badTile.json().error.details[0].path).toBe('/tiles/0/w');

    const created = await call(owner, 'POST', '/dashboards', {
      name: 'Sales',
      tiles: [{ reportId: report.id, x: 0, y: 0, w: 6, h: 4 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const board = created.json();
    expect((await call(owner, 'GET', `/dashboards/${board.id}`)).json()).toMatchObject({
      name: 'Sales',
      tiles: [{ reportId: report.id }],
    });
    const other = await h.workspace('elsewhere');
    expect((await call(other.token, 'GET', `/dashboards/${board.id}`)).statusCode).toBe(404);
    const foreign = await call(other.token, 'POST', '/dashboards', {
      name: 'x',
      tiles: [{ reportId: report.id, x: 0, y: 0, w: 1, h: 1 }],
    });
    expect(foreign.statusCode).toBe(400);

    const conflict = await call(owner, 'DELETE', `/reports/saved/${report.id}`);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.message).toContain(board.id);

    const moved = await call(owner, 'PATCH', `/dashboards/${board.id}`, { tiles: [] });
    expect(moved.json().tiles).toEqual([]);
    expect((await call(owner, 'GET', '/dashboards')).json().data.map((d: { id: string }) => d.id)).toContain(
      board.id,
    );
    expect((await call(owner, 'DELETE', `/reports/saved/${report.id}`)).statusCode).toBe(204);
    expect((await call(owner, 'DELETE', `/dashboards/${board.id}`)).statusCode).toBe(204);
    expect((await call(owner, 'GET', `/dashboards/${board.id}`)).statusCode).toBe(404);
  });

  it('rejects bad spend rows with their paths and stores none of the upload', async () => {
    const ws = await h.workspace('spend');
    const rows = [
      { date: '2026-01-05', source: 'yandex', medium: 'cpc', campaign: 'a', cost: 10 },
      { date: '2026-01-05', source: 'google', medium: 'cpc', campaign: 'a', cost: -1 },
      { date: '2026-02-30', source: 'vk', medium: '', campaign: '', cost: 1 },
      { date: '2026-01-06', source: '', medium: '', campaign: '', cost: 1, extra: true },
    ];
    const res = await call(ws.token, 'POST', '/marketing/spend', rows);
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/1/cost', '/3/source', '/3/extra']));
    const calendar = await call(ws.token, 'POST', '/marketing/spend', [rows[0], rows[2]]);
    expect(calendar.json().error.details).toEqual([
      { path: '/1/date', message: 'must be a calendar date YYYY-MM-DD' },
    ]);
    expect((await call(ws.token, 'GET', '/marketing/spend')).json().data).toEqual([]);

    const csv = (text: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/marketing/spend.csv',
        headers: { ...as(ws.token), 'content-type': 'text/csv' },
        payload: text,
      });
    const badCsv = await csv(
      'date,source,medium,campaign,cost\n2026-01-05,yandex,cpc,a,10\n2026-01-06,yandex,cpc,a,ten\n',
    );
    expect(badCsv.statusCode).toBe(400);
    expect(badCsv.json().error.details[0]).toMatchObject({
      path: '/1/cost',
      message: expect.stringContaining('line 3'),
    });
    const header = await csv('day,source,cost\n2026-01-05,yandex,1\n');
    expect(header.json().error.details.map((d: { path: string }) => d.path)).toContain('/header');
    const ok = await csv(
      'source,date,medium,campaign,cost,clicks\n"yandex, direct",2026-01-05,cpc,"a ""b""",10.5,3\n',
    );
    expect(ok.json()).toEqual({ rows: 1 });
    expect((await call(ws.token, 'GET', '/marketing/spend')).json().data).toEqual([
      {
        date: '2026-01-05',
        source: 'yandex, direct',
        medium: 'cpc',
        campaign: 'a "b"',
        cost: 10.5,
        impressions: 0,
        clicks: 3,
      },
    ]);
  });

  it('lists every report kind in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const kind of [
      'overview',
      'funnel',
      'retention',
      'ltv',
      'rfm',
      'paths',
      'attribution',
      'revenue',
      'content',
      'subscriptions',
    ])
      expect(doc.paths[`/api/v1/reports/${kind}`]?.post).toBeDefined();
    expect(doc.paths['/api/v1/marketing/spend.csv']?.post).toBeDefined();
    expect(doc.paths['/api/v1/dashboards/{id}']?.patch).toBeDefined();
  });
});

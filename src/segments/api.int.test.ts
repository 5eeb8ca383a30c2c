import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, daysAgo } from './testing/api-fixture.ts';

/** Five people and their orders, views and traits; sizes below follow from these rows. */
const PEOPLE = [
  { userId: 'u1', traits: { email: 'anna@example.com', city: 'Москва', plan: 'pro', age: 34 } },
  { userId: 'u2', traits: { email: 'boris@example.com', city: 'Санкт-Петербург', plan: 'free', age: 25 } },
  { userId: 'u3', traits: { email: 'vera@example.com', city: 'Москва', plan: 'free', age: 41 } },
  { userId: 'u4', traits: { phone: '+79161234567', city: 'Казань', plan: 'pro' } },
  { userId: 'u5', traits: { email: 'gleb@example.com', plan: 'pro' } },
];
const ORDERS: [string, number, number][] = [
  ['u1', 100, 3],
  ['u1', 200, 10],
  ['u1', 300, 20],
  ['u2', 50, 5],
  ['u4', 1000, 40],
  ['u4', 900, 200],
];

describe('segments REST API', () => {
  let f: ApiFixture;
  const pid: Record<string, string> = {};

  beforeAll(async () => {
    f = await apiFixture();
    await f.send(
      PEOPLE.map((p) => ({ type: 'identify', userId: p.userId, traits: p.traits, timestamp: daysAgo(50) })),
    );
    await f.send([
      ...ORDERS.map(([userId, revenue, d], i) => ({
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: { revenue, order: i },
        timestamp: daysAgo(d),
      })),
      { type: 'track', userId: 'u3', event: 'Product Viewed', properties: {}, timestamp: daysAgo(1) },
      { type: 'track', userId: 'u3', event: 'Product Viewed', properties: {}, timestamp: daysAgo(2) },
    ]);
    for (const p of PEOPLE) pid[p.userId] = await f.profileOf(p.userId);
  });
  afterAll(async () => {
    await f?.close();
  });

  const ids = (users: string[]) => users.map((u) => pid[u]).sort();

  it('previews the exact size and a sample of a rule', async () => {
    const moscow = await f.ok<{ size: number; sample: { profileId: string; traits: { city: string } }[] }>(
      'POST',
      '/segments/preview',
      { rule: { trait: 'city', op: 'eq', value: 'Москва' } },
    );
    expect(moscow.size).toBe(2);
    expect(moscow.sample.map((s) => s.profileId).sort()).toEqual(ids(['u1', 'u3']));
    expect(moscow.sample[0].traits.city).toBe('Москва');
    const buyers = await f.ok<{ size: number }>('POST', '/segments/preview', {
      rule: { event: 'Order Completed', count: { op: 'gte', value: 2 }, within: { days: 30 } },
    });
    expect(buyers.size).toBe(1); // u1; u4's second order is 200 days old
    const nested = await f.ok<{ size: number }>('POST', '/segments/preview', {
      rule: {
        and: [
          { trait: 'plan', op: 'eq', value: 'pro' },
          { not: { event: 'Order Completed', within: { days: 30 } } },
        ],
      },
    });
    expect(nested.size).toBe(2); // u4 (orders older than 30 days) and u5
  });

  it('answers 400 with the JSON path of every problem', async () => {
    const bad = await f.call('POST', '/segments', {
      name: 'Bad',
      rule: {
        and: [
          { trait: 'city', op: 'eq', value: 'x' },
          { trait: 'city', op: 'bogus', value: 1 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toContain('/rule/and/1/op');

    const noName = await f.call('POST', '/segments', { rule: { trait: 'a', op: 'exists' } });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.details[0].path).toBe('/name');

    const cron = await f.call('POST', '/segments', {
      name: 'c',
      rule: { trait: 'a', op: 'exists' },
      schedule: '61 * * * *',
    });
    expect(cron.statusCode).toBe(400);
    expect(cron.json().error.details[0].path).toBe('/schedule');

    const noRule = await f.call('POST', '/segments', { name: 'r' });
    expect(noRule.json().error.details[0].path).toBe('/rule');

    const preview = await f.call('POST', '/segments/preview', {
      rule: { or: [{ event: 'x', within: { days: -1 } }] },
    });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().error.details[0].path).toMatch(/^\/rule\/or\/0\/within/);

    const unknownRef = await f.call('POST', '/segments/preview', {
      rule: { and: [{ segment: 'seg_nope' }] },
    });
    expect(unknownRef.statusCode).toBe(400);
    expect(unknownRef.json().error.details[0].path).toBe('/rule/and/0/segment');
  });

  it('creates, reads, lists, renames, copies and deletes segments', async () => {
    const created = await f.segment(
      'Moscow pros',
      {
        and: [
          { trait: 'city', op: 'eq', value: 'Москва' },
          { trait: 'plan', op: 'eq', value: 'pro' },
        ],
      },
      {
        description: 'Paying users in Moscow',
        tags: ['geo', 'paid'],
        schedule: 30,
      },
    );
    expect(created).toMatchObject({
      name: 'Moscow pros',
      type: 'dynamic',
      schedule: 30,
      tags: ['geo', 'paid'],
      lastSize: 1,
      stale: false,
      staleReason: null,
      lastError: null,
      realtime: true,
    });
    expect(created.id).toMatch(/^seg_/);
    expect(Date.parse(created.lastComputedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(created.lastDurationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(created.nextRunAt as string)).toBeGreaterThan(Date.now() + 25 * 60_000);

    const other = await f.ok<{ id: string }>('POST', '/segments', {
      name: 'Daily cron',
      rule: { trait: 'plan', op: 'exists' },
      schedule: '0 6 * * *',
      tags: ['paid'],
    });
    expect((await f.ok<{ schedule: unknown }>('GET', `/segments/${other.id}`)).schedule).toBe('0 6 * * *');

    const byTag = await f.ok<{ data: { id: string }[] }>('GET', '/segments?tag=geo');
    expect(byTag.data.map((s) => s.id)).toEqual([created.id]);
    const bySearch = await f.ok<{ data: { id: string }[] }>(
      'GET',
      `/segments?q=${encodeURIComponent('moscow')}`,
    );
    expect(bySearch.data.map((s) => s.id)).toEqual([created.id]);
    const first = await f.ok<{ data: { id: string }[]; nextCursor: string }>(
      'GET',
      '/segments?tag=paid&limit=1',
    );
    expect(first.data.map((s) => s.id)).toEqual([other.id]);
    const second = await f.ok<{ data: { id: string }[]; nextCursor: string | null }>(
      'GET',
      `/segments?tag=paid&limit=1&cursor=${first.nextCursor}`,
    );
    expect(second.data.map((s) => s.id)).toEqual([created.id]);
    expect(second.nextCursor).toBeNull();

    const renamed = await f.ok<{ name: string; updatedAt: string }>('PATCH', `/segments/${created.id}`, {
      name: 'Москва, pro',
    });
    expect(renamed.name).toBe('Москва, pro');
    const cyrillic = await f.ok<{ data: { id: string }[] }>(
      'GET',
      `/segments?q=${encodeURIComponent('МОСКВА')}`,
    );
    expect(cyrillic.data.map((s) => s.id)).toEqual([created.id]);
    const typeChange = await f.call('PATCH', `/segments/${created.id}`, { type: 'static' });
    expect(typeChange.statusCode).toBe(400);
    expect(typeChange.json().error.details[0].path).toBe('/type');

    const copy = await f.call('POST', `/segments/${created.id}/copy`);
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({
      name: 'Москва, pro (copy)',
      rule: created.rule,
      tags: ['geo', 'paid'],
    });
    expect(copy.json().id).not.toBe(created.id);

    expect((await f.call('DELETE', `/segments/${copy.json().id}`)).statusCode).toBe(204);
    expect((await f.call('GET', `/segments/${copy.json().id}`)).statusCode).toBe(404);
    expect((await f.call('DELETE', `/segments/${other.id}`)).statusCode).toBe(204);
  });

  it('hides other workspaces: 404 for every route, and enforces roles', async () => {
    const seg = await f.ok<{ id: string }>('POST', '/segments', {
      name: 'Mine',
      rule: { trait: 'plan', op: 'exists' },
    });
    const other = await f.ok<{ token: string }>('POST', '/workspaces', { name: 'Other' });
    for (const [method, url] of [
      ['GET', `/segments/${seg.id}`],
      ['PATCH', `/segments/${seg.id}`],
      ['DELETE', `/segments/${seg.id}`],
      ['POST', `/segments/${seg.id}/recompute`],
      ['GET', `/segments/${seg.id}/members`],
      ['GET', `/segments/${seg.id}/history`],
      ['GET', `/segments/${seg.id}/export`],
    ]) {
      const res = await f.call(method, url, method === 'PATCH' ? { name: 'x' } : undefined, other.token);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await f.ok<{ data: unknown[] }>('GET', '/segments', undefined, other.token)).data).toEqual([]);
    const overlap = await f.call(
      'POST',
      '/segments/overlap',
      { segmentIds: [seg.id, seg.id.replace(/.$/, 'x')] },
      other.token,
    );
    expect(overlap.statusCode).toBe(404);

    const viewer = await f.ok<{ token: string }>('POST', '/tokens', { name: 'v', role: 'viewer' });
    expect((await f.call('GET', `/segments/${seg.id}`, undefined, viewer.token)).statusCode).toBe(200);
    expect(
      (await f.call('POST', '/segments', { name: 'v', rule: { trait: 'a', op: 'exists' } }, viewer.token))
        .statusCode,
    ).toBe(403);
    expect((await f.call('GET', `/segments/${seg.id}/export`, undefined, viewer.token)).statusCode).toBe(403);
    expect((await f.call('GET', '/segments')).statusCode).toBe(200);
    expect((await f.app.inject({ url: '/api/v1/segments' })).statusCode).toBe(401);
  });

  it('recomputes as a job with progress, then pages members and history', async () => {
    const seg = await f.ok<{ id: string }>('POST', '/segments', {
      name: 'Big spenders',
      rule: {
        event: 'Order Completed',
        aggregate: { fn: 'sum', property: 'revenue' },
        op: 'gt',
        value: 250,
        within: { days: 90 },
      },
    });
    const queued = await f.call('POST', `/segments/${seg.id}/recompute`);
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({
      kind: 'segments.recompute',
      status: expect.stringMatching(/queued|running|done/),
    });
    const job = await f.job(queued.json().id);
    expect(job).toMatchObject({ status: 'done', progress: 1, processed: 3, total: 3 });
    expect((job.result as { size: number }).size).toBe(2); // u1 (600) and u4 (1000 in 90 days)

    const page1 = await f.ok<{
      data: { profileId: string; enteredAt: string; traits: Record<string, unknown> }[];
      nextCursor: string;
    }>('GET', `/segments/${seg.id}/members?limit=1`);
    expect(page1.data).toHaveLength(1);
    const page2 = await f.ok<{
      data: { profileId: string; traits: Record<string, unknown> }[];
      nextCursor: string | null;
    }>('GET', `/segments/${seg.id}/members?limit=1&cursor=${page1.nextCursor}`);
    expect(page2.nextCursor).toBeNull();
    expect([page1.data[0].profileId, page2.data[0].profileId].sort()).toEqual(ids(['u1', 'u4']));
    const u1 = [page1.data[0], page2.data[0]].find((m) => m.profileId === pid.u1);
    expect(u1?.traits).toMatchObject({ city: 'Москва', plan: 'pro' });

    // Narrow the rule: u1 exits (600 is not > 700), the history shows both directions.
    await f.ok('PATCH', `/segments/${seg.id}`, {
      rule: {
        event: 'Order Completed',
        aggregate: { fn: 'sum', property: 'revenue' },
        op: 'gt',
        value: 700,
        within: { days: 90 },
      },
    });
    const again = await f.job((await f.ok<{ id: string }>('POST', `/segments/${seg.id}/recompute`)).id);
    expect(again.result).toMatchObject({ size: 1 });
    const history = await f.ok<{ data: { profileId: string; change: string; source: string }[] }>(
      'GET',
      `/segments/${seg.id}/history`,
    );
    expect(history.data[0]).toMatchObject({ profileId: pid.u1, change: 'exit', source: 'recompute' });
    expect(
      history.data
        .filter((h) => h.change === 'enter')
        .map((h) => h.profileId)
        .sort(),
    ).toEqual(ids(['u1', 'u4']));
    const days = await f.ok<{ data: { date: string; entered: number; exited: number; size: number }[] }>(
      'GET',
      `/segments/${seg.id}/history?bucket=day&from=${daysAgo(2)}`,
    );
    const today = days.data[days.data.length - 1];
    expect(today).toMatchObject({
      date: new Date().toISOString().slice(0, 10),
      entered: 2,
      exited: 1,
      size: 1,
    });
    expect(days.data.length).toBe(3);
    const segment = await f.ok<{ lastSize: number }>('GET', `/segments/${seg.id}`);
    expect(segment.lastSize).toBe(1);
  });

  it('exports members as CSV, NDJSON and XLSX', async () => {
    const seg = await f.segment('Export me', { trait: 'plan', op: 'eq', value: 'pro' });
    const url = `/segments/${seg.id}/export?identifiers=email,phone,user_id&traits=city,age`;
    const csv = await f.call('GET', `${url}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toContain('Export_me.csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('profile_id,entered_at,email,phone,user_id,trait:city,trait:age');
    expect(lines).toHaveLength(4); // u1, u4, u5
    expect(lines.find((l) => l.startsWith(pid.u1))).toMatch(/,anna@example\.com,,u1,Москва,34$/);

    const nd = await f.call('GET', `${url}&format=ndjson`);
    const records = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.profileId).sort()).toEqual(ids(['u1', 'u4', 'u5']));
    expect(records.find((r) => r.profileId === pid.u4)).toMatchObject({
      identifiers: { phone: ['+79161234567'], email: [], user_id: ['u4'] },
      traits: { city: 'Казань', age: null },
    });

    const xlsx = await f.call('GET', `${url}&format=xlsx`);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'profile_id',
      'entered_at',
      'email',
      'phone',
      'user_id',
      'trait:city',
      'trait:age',
    ]);

    const bad = await f.call('GET', `/segments/${seg.id}/export?traits=${encodeURIComponent('a b')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('/traits');
  });

  it('reports overlap of stored segments', async () => {
    const pro = await f.segment('Pro', { trait: 'plan', op: 'eq', value: 'pro' });
    const moscow = await f.segment('Moscow', { trait: 'city', op: 'eq', value: 'Москва' });
    const buyers = await f.segment('Buyers', { event: 'Order Completed' });
    const r = await f.ok<{
      segments: { id: string; size: number }[];
      pairs: { a: string; b: string; size: number; jaccard: number }[];
    }>('POST', '/segments/overlap', { segmentIds: [pro.id, moscow.id, buyers.id] });
    expect(r.segments.map((s) => s.size)).toEqual([3, 2, 3]);
    expect(r.pairs).toEqual([
      { a: pro.id, b: moscow.id, size: 1, jaccard: 0.25 },
      { a: pro.id, b: buyers.id, size: 2, jaccard: 0.5 },
      { a: moscow.id, b: buyers.id, size: 1, jaccard: 0.25 },
    ]);
    const one = await f.call('POST', '/segments/overlap', { segmentIds: [pro.id] });
    expect(one.statusCode).toBe(400);
    expect(one.json().error.details[0].path).toBe('/segmentIds');
  });

  it('builds static segments from uploaded lists and snapshots, reporting unmatched rows', async () => {
    const seg = await f.ok<{ id: string; type: string; rule: unknown; schedule: unknown }>(
      'POST',
      '/segments',
      {
        name: 'VIP list',
        type: 'static',
      },
    );
    expect(seg).toMatchObject({ type: 'static', rule: null, schedule: null });
    const csv =
      'Name;E-mail\nAnna;  Anna@Example.COM \nNobody;nobody@example.com\nBroken;not-an-email\nVera;vera@example.com\n';
    const upload = await f.app.inject({
      method: 'POST',
      url: `/api/v1/segments/${seg.id}/upload?column=e-mail&kind=email`,
      headers: { authorization: `Bearer ${f.t.ownerToken}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(upload.statusCode, upload.body).toBe(200);
    expect(upload.json()).toEqual({
      rows: 4,
      matched: 2,
      profiles: 2,
      unmatched: 2,
      unmatchedRows: [
        { row: 3, value: 'nobody@example.com', reason: 'not_found' },
        { row: 4, value: 'not-an-email', reason: 'invalid_email' },
      ],
      entered: 2,
      exited: 0,
      size: 2,
    });
    const members = await f.ok<{ data: { profileId: string }[] }>('GET', `/segments/${seg.id}/members`);
    expect(members.data.map((m) => m.profileId).sort()).toEqual(ids(['u1', 'u3']));

    // XLSX, replace mode: the list becomes the membership.
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('ids');
    sheet.addRow(['user_id']);
    sheet.addRow(['u2']);
    sheet.addRow(['u3']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const replaced = await f.app.inject({
      method: 'POST',
      url: `/api/v1/segments/${seg.id}/upload`,
      headers: {
        authorization: `Bearer ${f.t.ownerToken}`,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: xlsx,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      rows: 2,
      matched: 2,
      unmatched: 0,
      entered: 1,
      exited: 1,
      size: 2,
    });
    const after = await f.ok<{ data: { profileId: string }[] }>('GET', `/segments/${seg.id}/members`);
    expect(after.data.map((m) => m.profileId).sort()).toEqual(ids(['u2', 'u3']));

    const noColumn = await f.app.inject({
      method: 'POST',
      url: `/api/v1/segments/${seg.id}/upload`,
      headers: { authorization: `Bearer ${f.t.ownerToken}`, 'content-type': 'text/csv' },
      payload: 'Name,Comment\nA,b\n',
    });
    expect(noColumn.statusCode).toBe(400);
    expect(noColumn.json().error.details[0].path).toBe('/column');

    // A snapshot of a dynamic segment is a static segment with its members.
    const pro = await f.segment('Pro for snapshot', { trait: 'plan', op: 'eq', value: 'pro' });
    const snap = await f.call('POST', `/segments/${pro.id}/snapshot`, { name: 'Pro on launch day' });
    expect(snap.statusCode).toBe(201);
    expect(snap.json()).toMatchObject({ type: 'static', name: 'Pro on launch day', lastSize: 3 });
    const snapMembers = await f.ok<{ data: { profileId: string }[] }>(
      'GET',
      `/segments/${snap.json().id}/members`,
    );
    expect(snapMembers.data.map((m) => m.profileId).sort()).toEqual(ids(['u1', 'u4', 'u5']));
    expect((await f.call('POST', `/segments/${snap.json().id}/recompute`)).statusCode).toBe(409);
    const dynamicUpload = await f.app.inject({
      method: 'POST',
      url: `/api/v1/segments/${pro.id}/upload`,
      headers: { authorization: `Bearer ${f.t.ownerToken}`, 'content-type': 'text/csv' },
      payload: 'email\nanna@example.com\n',
    });
    expect(dynamicUpload.statusCode).toBe(409);
  });

  it('resolves segment references, refuses cycles (400) and deleting a referenced segment (409)', async () => {
    const pro = await f.segment('Pro base', { trait: 'plan', op: 'eq', value: 'pro' });
    const moscowPro = await f.segment('Moscow pro by reference', {
      and: [{ segment: pro.id }, { trait: 'city', op: 'eq', value: 'Москва' }],
    });
    expect(moscowPro.lastSize).toBe(1);
    expect(moscowPro.realtime).toBe(true);
    const cycle = await f.call('PATCH', `/segments/${pro.id}`, { rule: { or: [{ segment: moscowPro.id }] } });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0]).toMatchObject({ path: '/rule/or/0/segment' });
    expect(cycle.json().error.details[0].message).toMatch(/cycle/);
    const self = await f.call('PATCH', `/segments/${pro.id}`, { rule: { segment: pro.id } });
    expect(self.statusCode).toBe(400);
    const del = await f.call('DELETE', `/segments/${pro.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('conflict');
    const rfm = await f.segment('Champions', { rfm: 'champions' });
    expect(rfm.realtime).toBe(false);
  });

  it('recomputes on schedule, once per due run, and reports a missed schedule as stale', async () => {
    const seg = await f.segment('Every minute', { trait: 'plan', op: 'eq', value: 'free' }, { schedule: 1 });
    const { segments } = await import('./schema.ts');
    const { eq } = await import('drizzle-orm');
    const db = f.t.platform.stores.pg.db;
    const before = new Date(Date.now() - 20 * 60_000);
    await db
      .update(segments)
      .set({ nextRunAt: new Date(Date.now() - 1000), lastComputedAt: before })
      .where(eq(segments.id, seg.id as string));
    expect(await f.ok('GET', `/segments/${seg.id}`)).toMatchObject({
      stale: true,
      staleReason: 'schedule_missed',
    });

    const schedule = f.t.platform.segments.schedule;
    await schedule.stop(); // tick by hand: the background timer must not claim the run first
    expect(await schedule.tick()).toBeGreaterThanOrEqual(1);
    expect(await schedule.tick()).toBe(0); // the run moved forward: not enqueued twice
    const [row] = await db
      .select()
      .from(segments)
      .where(eq(segments.id, seg.id as string));
    expect(row.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await f.job(row.recomputeJobId!);
    const after = await f.ok<{ stale: boolean; lastComputedAt: string; lastSize: number }>(
      'GET',
      `/segments/${seg.id}`,
    );
    expect(after).toMatchObject({ stale: false, lastSize: 2 });
    expect(Date.parse(after.lastComputedAt)).toBeGreaterThan(before.getTime());
  });

  it('reports a failed recompute as stale with its error', async () => {
    const base = await f.segment('Base to break', { trait: 'plan', op: 'exists' });
    const user = await f.segment('User of base', { segment: base.id });
    // Make the referenced rule invalid behind the API's back, as an older version might have stored it.
    const { segments } = await import('./schema.ts');
    const { eq } = await import('drizzle-orm');
    await f.t.platform.stores.pg.db
      .update(segments)
      .set({ rule: { trait: 'plan', op: 'bogus' } })
      .where(eq(segments.id, base.id as string));
    const job = await f.job((await f.ok<{ id: string }>('POST', `/segments/${user.id}/recompute`)).id);
    expect(job.status).toBe('failed');
    const after = await f.ok<{ stale: boolean; staleReason: string; lastError: string }>(
      'GET',
      `/segments/${user.id}`,
    );
    expect(after).toMatchObject({ stale: true, staleReason: 'failed' });
    expect(after.lastError).toMatch(/invalid rule/);
  });
});

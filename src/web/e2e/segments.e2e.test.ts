/**
 * Segments in a real browser: events through the collection API, then a segment built with the
 * visual builder (a trait AND did-event ≥ N), its live size, members, a recompute with progress,
 * the segment on a member's profile card, and the page in Russian.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

/** plan = pro AND ≥ 2 orders matches u1 and u3 only (u4 buys but is free; u5 is pro, never buys). */
const PEOPLE = { u1: ['pro', 3], u2: ['pro', 1], u3: ['pro', 2], u4: ['free', 3], u5: ['pro', 0] } as const;
const RULE = {
  and: [
    { trait: 'plan', op: 'eq', value: 'pro' },
    { event: 'Order Completed', count: { op: 'gte', value: 2 }, within: { days: 30 } },
  ],
};

browserSuite('segments in the console', () => {
  let c: ConsoleSession;
  let page: ConsoleSession['page'];

  beforeAll(async () => {
    c = await openConsole();
    page = c.page;
    const source = (await (
      await c.api('/sources', { method: 'POST', body: JSON.stringify({ name: 'Shop' }) })
    ).json()) as { writeKey: string };
    const batch = Object.entries(PEOPLE).flatMap(([userId, [plan, orders]]) => [
      { type: 'identify', userId, traits: { plan, email: `${userId}@example.com` } },
      ...Array.from({ length: orders }, (_, i) => ({
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: { revenue: 100 + i },
      })),
    ]);
    const sent = await fetch(`${c.server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ batch }),
    });
    expect(sent.status).toBe(200);
    // Ingestion is asynchronous: wait until the events are queryable.
    for (let i = 0; i < 100; i++) {
      const res = await c.api('/segments/preview', { method: 'POST', body: JSON.stringify({ rule: RULE }) });
      if (res.ok && ((await res.json()) as { size: number }).size === 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await c?.close();
  });

  it('signs in and opens the empty segments list', async () => {
    await page.goto(c.server.url);
    await page.getByTestId('token-input').fill(c.token);
    await page.getByTestId('sign-in').click();
    await c.visible('nav-segments');
    await c.nav('nav-segments');
    await c.visible('segments-empty');
  });

  it('builds "plan = pro AND ordered ≥ 2 times" and shows its live size', async () => {
    await page.getByTestId('segment-new').click();
    await page.getByTestId('segment-name').fill('Pro buyers');
    await c.visible('preview-empty');

    await page.getByTestId('add-condition').click();
    await page.getByTestId('add-trait').click();
    const trait = page.getByTestId('condition-trait');
    await trait.getByTestId('trait-input').fill('plan');
    await trait.getByTestId('value-input').fill('pro');

    await page.getByTestId('add-condition').click();
    await page.getByTestId('add-did').click();
    const did = page.getByTestId('condition-did');
    await did.getByTestId('event-input').fill('Order Completed');
    await did.getByTestId('value-input').fill('2');

    await page.locator('[data-testid="preview-size"][data-size="2"]').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('preview-size').textContent()).toContain('2 profiles');
    // The JSON tab shows the same rule the builder made.
    await page.getByTestId('tab-json').click();
    expect(JSON.parse(await page.getByTestId('rule-json').inputValue())).toEqual(RULE);
    await page.getByTestId('tab-visual').click();
    await c.shot('segment-builder');
  });

  it('names an invalid count next to its condition', async () => {
    await page.getByTestId('condition-did').getByTestId('value-input').fill('-1');
    await page.getByTestId('condition-did').getByTestId('condition-error').waitFor({ timeout: WAIT });
    await c.visible('preview-error');
    await page.getByTestId('condition-did').getByTestId('value-input').fill('2');
    await page.locator('[data-testid="preview-size"][data-size="2"]').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('condition-error').count()).toBe(0);
  });

  it('saves it, lists its members and recomputes it with progress', async () => {
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-title').getByText('Pro buyers').waitFor({ timeout: WAIT });
    await page.locator('[data-testid="segment-size"]', { hasText: /^2$/ }).waitFor({ timeout: WAIT });
    await page.getByTestId('tab-members').click();
    await c.visible('members-table');
    expect(await page.getByTestId('member-row').count()).toBe(2);
    expect(await page.getByTestId('members-table').textContent()).toContain('u1@example.com');

    await page.getByTestId('recompute').click();
    await page.locator('[data-testid="recompute-progress"][data-status="done"]').waitFor({ timeout: WAIT });

    await page.getByTestId('tab-history').click();
    await c.visible('history-chart');
    await c.shot('segment');
  });

  it('exports the members as a CSV file with progress', async () => {
    const download = page.waitForEvent('download', { timeout: WAIT });
    await page.getByTestId('export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Pro_buyers.csv');
    await page.locator('[data-testid="export-progress"][data-done="true"]').waitFor({ timeout: WAIT });
    const text = await (await file.createReadStream()).toArray();
    const csv = Buffer.concat(text as Buffer[]).toString('utf8');
    expect(csv).toContain('u1@example.com');
    expect(csv).not.toContain('u2@example.com');
  });

  it('shows the segment on a member’s profile card', async () => {
    await page.getByTestId('tab-members').click();
    await page.getByTestId('member-link').first().click();
    await c.visible('profile-title');
    await page.getByTestId('profile-segments').getByText('Pro buyers').waitFor({ timeout: WAIT });
    await page.getByTestId('profile-segment').click();
    await page.getByTestId('segment-title').getByText('Pro buyers').waitFor({ timeout: WAIT });
  });

  it('fills a static segment from an uploaded CSV and reports the unmatched rows', async () => {
    await c.nav('nav-segments');
    await page.getByTestId('segment-new').click();
    await page.getByTestId('segment-name').fill('Uploaded list');
    await page.getByTestId('segment-type').click();
    await page.getByRole('option', { name: 'Static' }).click();
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-title').getByText('Uploaded list').waitFor({ timeout: WAIT });
    await page.locator('input[type="file"]').setInputFiles({
      name: 'list.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email\nU2@Example.com\nnobody@example.com\nnot-an-email\n'),
    });
    await page.getByTestId('upload').click();
    await c.visible('upload-report');
    const report = (await page.getByTestId('upload-report').textContent()) ?? '';
    expect(report).toContain('3 rows read, 1 matched');
    expect(await page.getByTestId('unmatched-rows').locator('tbody tr').count()).toBe(2);
    await page.locator('[data-testid="segment-size"]', { hasText: /^1$/ }).waitFor({ timeout: WAIT });
  });

  it('copies a segment and deletes the copy after asking', async () => {
    await c.nav('nav-segments');
    await page
      .getByTestId('segment-row')
      .filter({ hasText: 'Uploaded list' })
      .getByTestId('segment-copy')
      .click();
    await page.getByTestId('segment-title').getByText('Uploaded list (copy)').waitFor({ timeout: WAIT });
    await c.nav('nav-segments');
    const copy = page.getByTestId('segment-row').filter({ hasText: 'Uploaded list (copy)' });
    await copy.getByTestId('segment-delete').click();
    await page.getByTestId('confirm-delete').click();
    await copy.waitFor({ state: 'detached', timeout: WAIT });
    expect(await page.getByTestId('segment-row').count()).toBe(2);
  });

  it('lists the segment as fresh, and in Russian', async () => {
    await c.nav('nav-segments');
    const row = page.getByTestId('segment-row').filter({ hasText: 'Pro buyers' });
    await row.waitFor({ timeout: WAIT });
    expect(await row.getByTestId('freshness').getAttribute('data-state')).toBe('fresh');
    await c.shot('segments');
    await page.getByTestId('language-switch').getByText('Русский').click();
    await page.getByRole('heading', { name: 'Сегменты' }).waitFor({ timeout: WAIT });
    await c.text('Новый сегмент');
    expect(await row.getByTestId('freshness').textContent()).toBe('актуален');
    await page.getByTestId('segment-new').click();
    await page.getByTestId('add-condition').click();
    await page.getByTestId('add-didNot').click();
    await c.text('Не совершал событие');
    await page.getByTestId('language-switch').getByText('English').click();
    expect(c.pageErrors).toEqual([]);
  });

  it('offers an editor for every condition kind, nested in groups', async () => {
    const kinds = [
      'trait',
      'builtin',
      'did',
      'didNot',
      'aggregate',
      'sequence',
      'rfm',
      'segment',
      'reachable',
    ];
    // Picks a kind from the open "add condition" menu and waits until the menu has closed: while
    // its closing transition runs, the next menu's items would be on the page twice.
    const pick = async (kind: string) => {
      await page.getByTestId(`add-${kind}`).click();
      await page.getByRole('menu').waitFor({ state: 'hidden' });
    };
    await page.getByTestId('remove-condition').click();
    // A nested NOT group first, while the page is short.
    await page.getByTestId('add-group').first().click();
    await page.getByTestId('rule-group').nth(1).getByTestId('add-condition').click();
    await pick('reachable');
    await page.getByTestId('rule-group').nth(1).getByTestId('group-op').getByText('NOT').click();
    for (const kind of kinds) {
      await page.getByTestId('add-condition').first().click();
      await pick(kind);
    }
    await page.getByTestId('tab-json').click();
    const rule = JSON.parse(await page.getByTestId('rule-json').inputValue()) as { and: unknown[] };
    expect(rule.and).toHaveLength(kinds.length + 1);
    expect(rule.and[0]).toEqual({ not: { reachable: 'email' } });
    expect(rule.and[4]).toMatchObject({ count: { op: 'eq', value: 0 } });
    await page.getByTestId('tab-visual').click();
    await c.visible('condition-sequence');
    expect(c.pageErrors).toEqual([]);
  });
});

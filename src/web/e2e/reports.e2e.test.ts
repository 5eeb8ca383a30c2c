/**
 * Reports and dashboards in a real browser against a real `datapulse start` (see browser.ts):
 * a small known dataset, a 3-step funnel whose step counts are checked, the retention heat-map,
 * a saved funnel placed on a new dashboard, and the report page in Russian.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Six people in the last days. Funnel Product Viewed → Product Added → Order Completed within
 * 7 days, in order: u1, u2 complete it; u3 stops at the cart; u4 only views; u5 orders without a
 * cart (step 1 only); u6 adds to cart without viewing (no step 1). Expected users: 5, 3, 2.
 */
function dataset(now: number) {
  const at = (daysAgo: number, hours = 0) => new Date(now - daysAgo * DAY + hours * HOUR).toISOString();
  const track = (
    userId: string,
    event: string,
    timestamp: string,
    properties: Record<string, unknown> = {},
  ) => ({
    type: 'track',
    userId,
    event,
    timestamp,
    properties,
  });
  return [
    track('u1', 'Product Viewed', at(3), { product_id: 'p1' }),
    track('u1', 'Product Added', at(3, 1), { product_id: 'p1' }),
    track('u1', 'Order Completed', at(2), { revenue: 100 }),
    track('u2', 'Product Viewed', at(2)),
    track('u2', 'Product Added', at(2, 0.5)),
    track('u2', 'Order Completed', at(2, 1), { revenue: 50 }),
    track('u3', 'Product Viewed', at(2)),
    track('u3', 'Product Added', at(1)),
    track('u4', 'Product Viewed', at(1)),
    track('u5', 'Product Viewed', at(3)),
    track('u5', 'Order Completed', at(1), { revenue: 20 }),
    track('u6', 'Product Added', at(1)),
  ];
}

browserSuite('reports and dashboards in Chromium', () => {
  let c: ConsoleSession;
  let page: ConsoleSession['page'];
  let writeKey: string;
  const send = (batch: unknown[]) =>
    fetch(`${c.server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ batch }),
    });

  beforeAll(async () => {
    c = await openConsole();
    page = c.page;
    const source = await (
      await c.api('/sources', { method: 'POST', body: JSON.stringify({ name: 'Shop' }) })
    ).json();
    writeKey = source.writeKey;
    expect((await send(dataset(Date.now() - HOUR))).status).toBe(200);
    await page.goto(c.server.url);
    await page.getByTestId('token-input').fill(c.token);
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
  });

  afterAll(async () => {
    await c?.close();
  });

  it('shows events per second over the last minute and the week’s top events on the overview', async () => {
    // Six events just now: 6 / 60 s = 0.1 per second.
    const now = new Date().toISOString();
    const batch = Array.from({ length: 6 }, (_, i) => ({
      type: 'track',
      userId: `live${i}`,
      event: 'Ping',
      timestamp: now,
    }));
    expect((await send(batch)).status).toBe(200);
    await page.reload();
    await expect.poll(async () => page.getByTestId('stat-eps').textContent(), { timeout: WAIT }).toBe('0.1');
    const top = (await page.getByTestId('top-events-week').textContent()) ?? '';
    expect(top).toContain('Product Viewed');
    expect(top).toContain('Ping');
  });

  it('runs a 3-step funnel and shows the expected users at each step', async () => {
    await c.nav('nav-reports');
    await c.visible('report-tab-funnel');
    const steps = ['Product Viewed', 'Product Added', 'Order Completed'];
    for (const [i, event] of steps.entries()) await page.getByTestId(`step-${i + 1}`).fill(event);
    await page.keyboard.press('Escape');
    await page.getByTestId('report-run').click();
    await c.visible('funnel-table');
    await c.visible('chart-funnel');
    const counts = async () =>
      Promise.all(
        [1, 2, 3].map(async (i) => (await page.getByTestId(`funnel-step-${i}`).textContent())?.trim()),
      );
    await expect.poll(counts, { timeout: WAIT }).toEqual(['5', '3', '2']);
    const table = (await page.getByTestId('funnel-table').textContent()) ?? '';
    expect(table).toContain('60%'); // 3 of 5 reach the cart
    expect(table).toContain('40%'); // 2 of 5 order
    expect(table).toContain('1 h'); // median cart time of u1, u2, u3: 1 h, 30 min, 24 h
    await page.getByTestId('report-view').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await c.shot('funnel');
  });

  it('shows the retention heat-map', async () => {
    await page.getByTestId('report-tab-retention').click();
    await c.visible('chart-retention');
    expect(await page.getByTestId('chart-retention').locator('canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('chart-retention').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await c.shot('retention');
  });

  it('saves the funnel, puts it on a new dashboard, and keeps the tile', async () => {
    await page.getByTestId('report-tab-funnel').click();
    await c.visible('funnel-table');
    await page.getByTestId('save-name').fill('Checkout funnel');
    await page.getByTestId('save-report').click();
    await c.visible('saved-ok');

    await c.nav('nav-dashboards');
    await page.getByTestId('dashboard-name-input').fill('Sales');
    await page.getByTestId('dashboard-create').click();
    await page.getByTestId('dashboard-name').filter({ hasText: 'Sales' }).waitFor({ timeout: WAIT });
    await c.visible('dashboard-empty');
    await page.getByTestId('add-tile').click();
    await page.getByRole('option', { name: /Checkout funnel/ }).click();
    await c.visible('dashboard-tile');
    await page
      .getByTestId('dashboard-tile')
      .getByTestId('chart-funnel')
      .locator('canvas')
      .first()
      .waitFor({ timeout: WAIT });
    await c.shot('dashboard');

    // The tile is stored on the dashboard (the console PATCHes the tiles).
    const saved = await (await c.api('/reports/saved')).json();
    const tiles = async () =>
      (await (await c.api('/dashboards')).json()).data.map((d: { tiles: unknown }) => d.tiles);
    await expect
      .poll(tiles, { timeout: WAIT })
      .toEqual([[{ reportId: saved.data[0].id, x: 0, y: 0, w: 6, h: 5 }]]);

    // Resizing from the corner saves the new size.
    const handle = page.getByTestId('dashboard-tile').locator('.react-resizable-handle').first();
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 300, box.y + 130, { steps: 12 });
    await page.mouse.up();
    await expect.poll(async () => (await tiles())[0][0].w, { timeout: WAIT }).toBeGreaterThan(6);
    const [[resized]] = await tiles();
    expect(resized).toMatchObject({ reportId: saved.data[0].id, x: 0, y: 0 });
    expect(resized.h).toBeGreaterThan(5);

    // Reloading shows the same tile, run again from the saved report.
    await page.reload();
    await page.getByTestId('dashboard-tile').getByTestId('chart-funnel').waitFor({ timeout: WAIT });
    expect(c.pageErrors).toEqual([]);
  });

  it('shows the report page in Russian', async () => {
    await page.getByTestId('language-switch').getByText('Русский').click();
    await c.nav('nav-reports');
    await page.getByRole('heading', { name: 'Отчёты' }).waitFor({ timeout: WAIT });
    await page.getByRole('tab', { name: 'Воронка' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Построить' }).waitFor({ timeout: WAIT });
    await c.text('От начала');
    await page.getByTestId('language-switch').getByText('English').click();
  });
});

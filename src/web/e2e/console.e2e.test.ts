/** The console's first pages in a real browser against a real `datapulse start` (see browser.ts). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

browserSuite('web console in Chromium', () => {
  let c: ConsoleSession;
  let page: ConsoleSession['page'];
  let server: ConsoleSession['server'];
  let token: string;
  let writeKey: string;
  const visible = (testId: string) => c.visible(testId);
  const text = (s: string | RegExp) => c.text(s);
  const nav = (testId: string) => c.nav(testId);
  const shot = (name: string) => c.shot(name);

  beforeAll(async () => {
    c = await openConsole();
    ({ page, server, token } = c);
  });

  afterAll(async () => {
    await c?.close();
  });

  it('serves the console at / and sends a signed-out visitor to the sign-in screen', async () => {
    await page.goto(server.url);
    await visible('token-input');
    expect(page.url()).toBe(`${server.url}/sign-in`);
    await text('data/bootstrap-token');
    // A client-side route loads the same page; an unknown API path stays a JSON 404.
    const deep = await fetch(`${server.url}/profiles/p_1`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api = await fetch(`${server.url}/api/v1/nope`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
  });

  it('rejects a wrong token with a message, then signs in with the bootstrap token', async () => {
    await page.getByTestId('token-input').fill('dp_wrong_token');
    await page.getByTestId('sign-in').click();
    await visible('api-error');
    expect(await page.getByTestId('api-error').textContent()).toContain('unknown or revoked');
    await shot('sign-in');

    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
    expect(await page.evaluate(() => sessionStorage.getItem('datapulse.token'))).toBe(token);
  });

  it('creates a source and shows its snippets with the write key filled in', async () => {
    await nav('nav-sources');
    await page.getByTestId('source-name').fill('Website');
    await page.getByTestId('source-create').click();
    await visible('snippets');
    const node = (await page.getByTestId('snippet-segmentNode').textContent()) ?? '';
    writeKey = /writeKey: '([^']+)'/.exec(node)?.[1] ?? '';
    expect(writeKey).toMatch(/^\w{16,}$/);
    expect(node).toContain(`host: '${server.url}'`);
    await page.getByTestId('snippet-tab-curl').click();
    const curl = (await page.getByTestId('snippet-curl').textContent()) ?? '';
    expect(curl).toContain(`-u '${writeKey}:' ${server.url}/v1/track`);
    expect(await page.getByTestId('sources-table').textContent()).toContain('Website');
    // The snippet's key is the real one: the server lists it.
    const listed = await fetch(`${server.url}/api/v1/sources`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await listed.json()).data.map((s: { writeKey: string }) => s.writeKey)).toContain(writeKey);
    await page.getByTestId('snippet-tab-segmentNode').click();
    await shot('sources');
  });

  it('shows a sent event in Live events within a poll, and filters by event name', async () => {
    await nav('nav-events');
    await visible('live-badge');
    const sent = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        batch: [
          {
            type: 'identify',
            userId: 'u-42',
            traits: { email: 'ann@example.com', name: 'Ann Petrova', city: 'Kazan' },
          },
          { type: 'track', userId: 'u-42', event: 'Order Completed', properties: { revenue: 99.5 } },
          { type: 'page', anonymousId: 'a-7', name: 'Home' },
        ],
      }),
    });
    expect(sent.status).toBe(200);
    await page.getByRole('cell', { name: 'Order Completed' }).waitFor({ timeout: WAIT });
    expect(await page.getByTestId('event-row').count()).toBe(3);

    await page.getByTestId('filter-event').fill('Order Completed');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="event-row"]').length === 1,
      null,
      {
        timeout: WAIT,
      },
    );
    await page.getByTestId('filter-event').fill('');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="event-row"]').length === 3,
      null,
      {
        timeout: WAIT,
      },
    );
    await page.getByTestId('event-row').filter({ hasText: 'Order Completed' }).click();
    await text('"revenue": 99.5');
    await shot('live-events');
  });

  it('searches a profile, opens its card with traits, identities and timeline', async () => {
    await nav('nav-profiles');
    await page.getByTestId('profile-search').fill('Ann');
    await page.getByTestId('profile-search-submit').click();
    await visible('profile-link');
    expect(await page.getByTestId('search-count').textContent()).toBe('1 profile found');
    await page.getByTestId('profile-link').click();
    await page.getByTestId('profile-title').filter({ hasText: 'Ann Petrova' }).waitFor({ timeout: WAIT });
    const traits = (await page.getByTestId('traits').textContent()) ?? '';
    expect(traits).toContain('Kazan');
    const identities = (await page.getByTestId('identities').textContent()) ?? '';
    expect(identities).toContain('ann@example.com');
    expect(identities).toContain('u-42');
    await page
      .getByTestId('timeline')
      .getByRole('cell', { name: 'Order Completed' })
      .waitFor({ timeout: WAIT });
    await page.getByTestId('tab-merges').click();
    await visible('no-merges');
    await page.getByTestId('tab-timeline').click();
    await shot('profile');
  });

  it('finds a profile by an identifier, normalised as at ingestion', async () => {
    await nav('nav-profiles');
    await page.getByTestId('lookup-value').fill('  ANN@Example.com ');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('profile-title').filter({ hasText: 'Ann Petrova' }).waitFor({ timeout: WAIT });
  });

  it('creates an API token with a role, shows the secret once, and revokes it', async () => {
    await nav('nav-tokens');
    await page.getByTestId('token-name').fill('Reporting');
    await page.getByTestId('token-role').click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await page.getByTestId('token-create').click();
    await visible('token-secret');
    const secret = ((await page.getByTestId('token-secret-value').textContent()) ?? '').trim();
    const auth = { authorization: `Bearer ${secret}` };
    expect((await fetch(`${server.url}/api/v1/sources`, { headers: auth })).status).toBe(200);
    const row = page.getByTestId('tokens-table').getByRole('row').filter({ hasText: 'Reporting' });
    expect(await row.textContent()).toContain('Viewer');
    await shot('tokens');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('confirm-revoke').click();
    await row.waitFor({ state: 'detached', timeout: WAIT });
    expect((await fetch(`${server.url}/api/v1/sources`, { headers: auth })).status).toBe(401);
  });

  it('switches to Russian: navigation, headings, plurals and dates', async () => {
    await page.getByTestId('language-switch').getByText('Русский').click();
    await page.getByRole('heading', { name: 'API-токены' }).waitFor({ timeout: WAIT });
    expect(await page.getByTestId('nav-profiles').textContent()).toBe('Профили');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await nav('nav-events');
    await text('Показано 3 события');
    // Dates in Russian: "23 нояб. 2026 г., 17:25:26".
    expect(await page.getByTestId('event-table').textContent()).toMatch(/\d{4} г\., \d{2}:\d{2}/);
    await nav('nav-overview');
    await page.getByRole('heading', { name: 'Обзор' }).waitFor({ timeout: WAIT });
    await text(/Последние 3 события/);
    await shot('overview-ru');
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Обзор' }).waitFor({ timeout: WAIT });
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
    await shot('overview');
  });

  it('shows an error, never a blank page, when an API call fails', async () => {
    // A 500 from the server.
    await page.route('**/api/v1/events?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal_error', message: 'Internal error' } }),
      }),
    );
    await nav('nav-events');
    await visible('api-error');
    expect(await page.getByTestId('api-error').textContent()).toContain('The server failed');
    await page.unroute('**/api/v1/events?**');

    // The network itself failing.
    await page.route('**/api/v1/sources?**', (route) => route.abort('connectionrefused'));
    await nav('nav-sources');
    await visible('api-error');
    expect(await page.getByTestId('api-error').textContent()).toContain('cannot be reached');
    await page.unroute('**/api/v1/sources?**');

    // A real 404 and a real 400 from the API.
    await nav('nav-profiles');
    await page.getByTestId('lookup-value').fill('nobody@example.com');
    await page.getByTestId('lookup-submit').click();
    await visible('api-error');
    expect(await page.getByTestId('api-error').textContent()).toContain('No profile found');
    await page.goto(`${server.url}/profiles?q=a`);
    await visible('api-error');
    expect(await page.getByTestId('api-error').textContent()).toContain('/q');
    expect(c.pageErrors).toEqual([]);
  });

  it('sends the visitor back to sign-in when the token is revoked', async () => {
    const created = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Short-lived', role: 'admin' }),
    });
    const temp = await created.json();
    await page.evaluate((t) => sessionStorage.setItem('datapulse.token', t), temp.token);
    await page.goto(`${server.url}/sources`);
    await visible('sources-table');
    await fetch(`${server.url}/api/v1/tokens/${temp.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    await nav('nav-tokens');
    await visible('session-expired');
    expect(page.url()).toBe(`${server.url}/sign-in`);
  });
});

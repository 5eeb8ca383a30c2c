/** A viewer sees masked PII and cannot export; the owner sees it all in the audit log. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

browserSuite('PII masking and the audit log in Chromium', () => {
  let c: ConsoleSession;
  let page: ConsoleSession['page'];
  let profileId: string;
  let segmentId: string;
  let viewerToken: string;
  let viewerTokenId: string;

  const json = async <T>(res: Response): Promise<T> => {
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const signIn = async (token: string) => {
    await page.goto(`${c.server.url}/sign-in`);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
  };

  beforeAll(async () => {
    c = await openConsole();
    page = c.page;
    const source = await json<{ writeKey: string }>(
      await c.api('/sources', { method: 'POST', body: JSON.stringify({ name: 'Web' }) }),
    );
    const sent = await fetch(`${c.server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        batch: [
          {
            type: 'identify',
            userId: 'ivan-1',
            traits: { email: 'ivan.petrov@mail.ru', phone: '+79161234567', name: 'Ivan', plan: 'pro' },
          },
        ],
      }),
    });
    expect(sent.status).toBe(200);
    profileId = (await json<{ data: { id: string }[] }>(await c.api('/profiles?identifier=user_id:ivan-1')))
      .data[0].id;
    segmentId = (
      await json<{ id: string }>(
        await c.api('/segments', {
          method: 'POST',
          body: JSON.stringify({ name: 'Pros', rule: { trait: 'plan', op: 'eq', value: 'pro' } }),
        }),
      )
    ).id;
    const viewer = await json<{ id: string; token: string }>(
      await c.api('/tokens', { method: 'POST', body: JSON.stringify({ name: 'Viewer', role: 'viewer' }) }),
    );
    viewerToken = viewer.token;
    viewerTokenId = viewer.id;
  });

  afterAll(async () => {
    await c?.close();
  });

  it('shows a viewer the profile with e-mail and phone masked', async () => {
    await signIn(viewerToken);
    await page.goto(`${c.server.url}/profiles/${profileId}`);
    await c.visible('traits');
    const traits = (await page.getByTestId('traits').textContent()) ?? '';
    expect(traits).toContain('i***@m***.ru');
    expect(traits).toContain('+7 *** ***-45-67');
    expect(traits).toContain('pro');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('ivan.petrov@mail.ru');
    expect(body).not.toContain('9161234567');
    await c.shot('profile-masked');
  });

  it('refuses a viewer the segment export', async () => {
    await page.goto(`${c.server.url}/segments/${segmentId}`);
    await page.getByRole('heading', { name: 'Pros' }).first().waitFor({ timeout: WAIT });
    const button = page.getByTestId('export');
    if (await button.count()) {
      await button.click();
      await c.visible('api-error');
      expect(await page.getByTestId('api-error').first().textContent()).toMatch(/may not segments export/);
    }
  });

  it('shows the owner the token creation and the PII read in Settings → Audit', async () => {
    await page.getByTestId('sign-out').click();
    await c.visible('token-input');
    await signIn(c.token);
    await c.nav('nav-audit');
    await c.visible('audit-table');
    const created = page.locator('[data-testid="audit-row"][data-action="tokens.create"]');
    await created.first().waitFor({ timeout: WAIT });
    expect(await created.first().textContent()).toContain(viewerTokenId);
    const piiRead = page.locator('[data-testid="audit-row"][data-action="pii.read"]');
    expect(await piiRead.first().textContent()).toContain(profileId);
    // Only the owner's reads: the viewer's masked ones are not PII reads.
    expect(
      await page.locator('[data-testid="audit-row"][data-action="pii.read"]', { hasText: 'viewer' }).count(),
    ).toBe(0);
    await created.first().click();
    await c.visible('audit-detail');
    expect(await page.getByTestId('audit-detail').textContent()).toContain('[redacted]');
    await c.shot('audit');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-action').fill('pii.read');
    await page.getByTestId('audit-apply').click();
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-testid="audit-row"]')).every(
          (r) => r.getAttribute('data-action') === 'pii.read',
        ),
      undefined,
      { timeout: WAIT },
    );
    expect(c.pageErrors).toEqual([]);
  });
});

/**
 * The console's identity pages in a real browser against a real `datapulse start` (browser.ts):
 * identity rules (simulate before save, field errors, kept after reload), the duplicates review
 * queue with a matching run, undoing the merge on the profile card, Russian, and a viewer's view.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

browserSuite('identity pages in Chromium', () => {
  let c: ConsoleSession;
  let page: ConsoleSession['page'];
  let writeKey: string;

  const visible = (testId: string) => c.visible(testId);
  const json = async (res: Response) => {
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    return res.json();
  };
  const send = async (batch: unknown[]) => {
    const res = await fetch(`${c.server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ batch }),
    });
    expect(res.status).toBe(200);
  };
  /** Waits until the profile search finds `n` profiles. */
  const profilesFound = async (q: string, n: number) => {
    const deadline = Date.now() + WAIT;
    for (;;) {
      const found = await json(await c.api(`/profiles?q=${encodeURIComponent(q)}`));
      if (found.data.length === n) return found.data as { id: string }[];
      if (Date.now() > deadline) throw new Error(`${q}: ${found.data.length} profiles, not ${n}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    c = await openConsole();
    page = c.page;
    writeKey = (
      await json(await c.api('/sources', { method: 'POST', body: JSON.stringify({ name: 'Web' }) }))
    ).writeKey;
    // Anonymous browsing, then a login: one profile. Two look-alikes that share no identifier:
    // the same name and city, emails one typo apart — a score of 8.5, under the threshold of 9
    // and above the review floor of 6 (src/core/identity/match.ts): a review candidate.
    await send([
      { type: 'page', anonymousId: 'anon-1', name: 'Home' },
      {
        type: 'identify',
        anonymousId: 'anon-1',
        userId: 'u-1',
        traits: { name: 'Ann Lee', email: 'ann@example.com' },
      },
      {
        type: 'identify',
        anonymousId: 'anon-ivan-1',
        traits: { name: 'Ivan Petrov', city: 'Kazan', email: 'ivan.petrov@mail.ru' },
      },
      {
        type: 'identify',
        anonymousId: 'anon-ivan-2',
        traits: { name: 'Ivan Petrov', city: 'Kazan', email: 'ivan.petrof@mail.ru' },
      },
    ]);
    await profilesFound('Ivan', 2);
    await profilesFound('Ann', 1);
    await page.goto(c.server.url);
    await page.getByTestId('token-input').fill(c.token);
    await page.getByTestId('sign-in').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
  });

  afterAll(async () => {
    await c?.close();
  });

  it('shows the API validation error at its field', async () => {
    await c.nav('nav-identity');
    await page.getByRole('heading', { name: 'Identity rules' }).waitFor({ timeout: WAIT });
    expect(await page.getByTestId('kind-email-max').inputValue()).toBe('5');
    await page.getByTestId('kind-user_id-max').fill('2');
    await page.getByTestId('simulate').click();
    await page.getByText('a profile holds exactly one user_id').first().waitFor({ timeout: WAIT });
    // The message sits at the user_id limit field (Mantine links the input to its error).
    const describedBy = (await page.getByTestId('kind-user_id-max').getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    const errorText = await page
      .locator(`[id="${describedBy.split(' ').find((id) => id.includes('error'))}"]`)
      .textContent();
    expect(errorText).toContain('exactly one user_id');
    await page.getByTestId('kind-user_id-max').fill('1');

    // Source priority needs at least one source: the error sits under the source list.
    await page.getByTestId('conflict-rule').getByText('Source priority').click();
    await page.getByTestId('simulate').click();
    await page
      .getByTestId('source-order-error')
      .filter({ hasText: 'must not be empty' })
      .waitFor({ timeout: WAIT });
    await page.getByTestId('source-add').click();
    await page.getByRole('option', { name: 'Web' }).click();
    expect(await page.getByTestId('source-order-item').textContent()).toContain('Web');
    await page.getByTestId('conflict-rule').getByText('Latest event time wins').click();
  });

  it('changes a limit, simulates it, saves it and keeps it after a reload', async () => {
    await page.getByTestId('kind-email-max').fill('3');
    await page.getByTestId('kind-phone-up').click(); // phone above email
    const kinds = await page
      .getByTestId('identity-kinds')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(kinds.slice(0, 3)).toEqual(['kind-row-user_id', 'kind-row-phone', 'kind-row-email']);
    await page.getByTestId('simulate').click();
    await visible('simulation');
    // Four identify/page events made three profiles; the same events replay to the same three.
    expect(await page.getByTestId('sim-current').textContent()).toBe('3');
    expect(await page.getByTestId('sim-proposed').textContent()).toBe('3');
    expect(await page.getByTestId('simulation-window').textContent()).toMatch(/^4 events replayed/);
    expect(await page.getByTestId('simulation-stale').count()).toBe(0);
    await c.shot('identity-rules');

    await page.getByTestId('save').click();
    await visible('saved');
    const saved = await json(await c.api('/identity/settings'));
    expect(saved.identifiers.map((r: { kind: string }) => r.kind).slice(0, 3)).toEqual([
      'user_id',
      'phone',
      'email',
    ]);
    expect(saved.identifiers[2]).toMatchObject({ kind: 'email', maxValues: 3 });

    await page.reload();
    await page.getByRole('heading', { name: 'Identity rules' }).waitFor({ timeout: WAIT });
    await visible('kind-email-max');
    expect(await page.getByTestId('kind-email-max').inputValue()).toBe('3');
    expect(await page.getByTestId('save').isDisabled()).toBe(true);
    // A change after the simulation marks it out of date.
    await page.getByTestId('kind-email-max').fill('4');
    await page.getByTestId('simulate').click();
    await visible('simulation');
    await page.getByTestId('kind-email-max').fill('5');
    await visible('simulation-stale');
  });

  it('runs matching, shows the likely duplicate with its features, and accepts it', async () => {
    await c.nav('nav-review');
    await page.getByRole('heading', { name: 'Duplicates review' }).waitFor({ timeout: WAIT });
    await visible('no-candidates');
    await page.getByTestId('run-matching').click();
    await page
      .getByTestId('match-result')
      .filter({ hasText: '1 waiting for review' })
      .waitFor({ timeout: WAIT });
    await visible('candidate');
    expect(await page.getByTestId('candidate').count()).toBe(1);
    const card = page.getByTestId('candidate');
    expect(await card.getByTestId('candidate-score').textContent()).toBe('Score 8.5');
    const features = (await card.getByTestId('candidate-features').textContent()) ?? '';
    expect(features).toContain('Email: one typo apart +3');
    expect(features).toContain('Name: same +4');
    expect(await card.getByTestId('candidate-a').textContent()).toContain('Ivan Petrov');
    expect(await card.getByTestId('candidate-b').textContent()).toContain('Kazan');
    expect(await card.getByTestId('candidate-profile-link').count()).toBe(2);
    await c.shot('identity-review');

    await card.getByTestId('candidate-accept').click();
    await visible('no-candidates');
    const [survivor] = await profilesFound('Ivan', 1);
    expect(survivor.id).toBeTruthy();
    await page.getByTestId('candidate-status-filter').getByText('Accepted').click();
    await visible('candidate');
    await page.getByTestId('candidate-profile-link').first().click();
    await page.getByTestId('profile-title').filter({ hasText: 'Ivan Petrov' }).waitFor({ timeout: WAIT });
    await page.getByTestId('tab-merges').click();
    await visible('merges');
    expect(await page.getByTestId('merges').textContent()).toContain('candidate_accepted');
  });

  it('undoes the merge from the profile card after a confirmation', async () => {
    await page.getByTestId('undo-merge').click();
    await page.getByRole('dialog').getByText('Undo this merge?').waitFor({ timeout: WAIT });
    await page.getByTestId('confirm-undo').click();
    await page.getByTestId('merges').getByText('undone').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('undo-merge').count()).toBe(0);
    await profilesFound('Ivan', 2);
  });

  it('shows the identity pages in Russian', async () => {
    await page.getByTestId('language-switch').getByText('Русский').click();
    await c.nav('nav-identity');
    await page.getByRole('heading', { name: 'Правила идентификации' }).waitFor({ timeout: WAIT });
    await page.getByText('Побеждает самое позднее событие').waitFor({ timeout: WAIT });
    await page.getByTestId('simulate').click();
    await visible('simulation');
    // Russian plurals: 4 → "события".
    expect(await page.getByTestId('simulation-window').textContent()).toMatch(/^Проиграно 4 события/);
    await c.nav('nav-review');
    await page.getByRole('heading', { name: 'Проверка дубликатов' }).waitFor({ timeout: WAIT });
    await page.getByText('Запустить сопоставление').waitFor({ timeout: WAIT });
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Duplicates review' }).waitFor({ timeout: WAIT });
  });

  it('shows a viewer the rules read-only when the API refuses', async () => {
    const viewer = await json(
      await c.api('/tokens', { method: 'POST', body: JSON.stringify({ name: 'Viewer', role: 'viewer' }) }),
    );
    await page.evaluate((t) => sessionStorage.setItem('datapulse.token', t), viewer.token);
    await page.goto(`${c.server.url}/settings/identity`);
    await visible('kind-email-max');
    await page.getByTestId('simulate').click();
    await visible('read-only');
    expect(await page.getByTestId('simulate').isDisabled()).toBe(true);
    expect(await page.getByTestId('save').isDisabled()).toBe(true);
    expect(await page.getByTestId('api-error').count()).toBe(0);
    expect(c.pageErrors).toEqual([]);
  });
});

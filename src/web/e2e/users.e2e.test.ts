/** Console users in a real browser: first owner from the environment, invitation, roles, sign-out everywhere. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, type ConsoleSession, openConsole, WAIT } from './browser.ts';

const ADMIN = { email: 'lead@example.com', password: 'Admin-secret-2026' };
const ANA = { email: 'ana@example.com', password: 'Reports-secret-2026' };

browserSuite('console users and sessions in Chromium', () => {
  let c: ConsoleSession;
  let invitationLink: string;

  beforeAll(async () => {
    c = await openConsole({ DATAPULSE_ADMIN_EMAIL: ADMIN.email, DATAPULSE_ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    await c?.close();
  });

  async function signIn(page: ConsoleSession['page'], who: { email: string; password: string }) {
    await page.getByTestId('email-input').fill(who.email);
    await page.getByTestId('password-input').fill(who.password);
    await page.getByTestId('password-sign-in').click();
  }

  it('signs the first owner in with e-mail and password into an HTTP-only cookie session', async () => {
    const { page, server } = c;
    await page.goto(server.url);
    await c.visible('email-input');
    await c.visible('token-input'); // the API-token sign-in stays available
    await signIn(page, { ...ADMIN, password: 'Wrong-secret-2026' });
    await c.visible('password-error');
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT });
    expect(await page.getByTestId('current-role').textContent()).toBe('Owner');
    const [cookie] = await c.context.cookies();
    expect(cookie).toMatchObject({ name: 'datapulse_session', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => sessionStorage.getItem('datapulse.token'))).toBeNull();
    // A reload keeps the session (the cookie), and changes still pass the CSRF check.
    await page.reload();
    await c.visible('current-user');
  });

  it('invites an analyst and shows the invitation link once', async () => {
    const { page } = c;
    await c.nav('nav-users');
    await c.visible('users-table');
    expect(await page.getByTestId('users-table').textContent()).toContain(ADMIN.email);
    await page.getByTestId('invite-email').fill(ANA.email);
    await page.getByTestId('invite-role').click();
    await page.getByRole('option', { name: 'Analyst' }).click();
    await page.getByTestId('invite-create').click();
    await c.visible('invitation-link');
    invitationLink = ((await page.getByTestId('invitation-link').textContent()) ?? '').trim();
    expect(invitationLink).toMatch(new RegExp(`^${c.server.url}/accept-invitation\\?token=inv_`));
    await c.visible('invitations-table');
    await c.shot('users');
  });

  it('lets the invitee set a password, sign in with the role, and sign out everywhere', async () => {
    const context = await c.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(invitationLink);
      await page.getByTestId('invite-name').fill('Ana');
      await page.getByTestId('invite-password').fill('short');
      await page.getByTestId('invite-confirm').fill('short');
      await page.getByTestId('invite-accept').click();
      await page.getByTestId('api-error').waitFor({ timeout: WAIT });
      expect(await page.getByTestId('api-error').textContent()).toContain('/password');
      await page.getByTestId('invite-password').fill(ANA.password);
      await page.getByTestId('invite-confirm').fill(ANA.password);
      await page.getByTestId('invite-accept').click();
      await page.getByTestId('invitation-accepted').waitFor({ timeout: WAIT });
      expect(await page.getByTestId('email-input').inputValue()).toBe(ANA.email);
      await page.getByTestId('password-input').fill(ANA.password);
      await page.getByTestId('password-sign-in').click();
      await page.getByTestId('current-role').waitFor({ timeout: WAIT });
      expect(await page.getByTestId('current-role').textContent()).toBe('Analyst');
      // An analyst may not manage users: the page says so instead of going blank.
      await page.getByTestId('nav-users').click();
      await page.getByTestId('api-error').waitFor({ timeout: WAIT });

      await page.getByTestId('current-user').click();
      await page.getByTestId('account-role').waitFor({ timeout: WAIT });
      expect(await page.getByTestId('account-email').textContent()).toBe(ANA.email);
      const [cookie] = await context.cookies();
      await page.getByTestId('sign-out-everywhere').click();
      await page.getByTestId('email-input').waitFor({ timeout: WAIT });
      const stale = await fetch(`${c.server.url}/api/v1/auth/me`, {
        headers: { cookie: `${cookie.name}=${cookie.value}` },
      });
      expect(stale.status).toBe(401);
    } finally {
      await context.close();
    }
    // The owner sees the new member with the role.
    await c.page.reload();
    await c.visible('users-table');
    const row = c.page.getByTestId(`member-${ANA.email}`);
    await row.waitFor({ timeout: WAIT });
    expect(await row.getByTestId('member-role').inputValue()).toBe('Analyst');
    expect(c.pageErrors).toEqual([]);
  });
});

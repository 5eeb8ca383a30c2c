/**
 * What every browser test of the console needs: a real `datapulse start` on a temp data dir,
 * Debian's Chromium driven by playwright-core, and small waiting helpers. Needs the built console
 * (`npm run build:web`, which `npm install` runs; `DATAPULSE_CONSOLE_DIR` points at another build).
 * Set DATAPULSE_SCREENSHOTS=docs/screenshots to refresh the screenshots of the docs.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { tempDataDir } from '../../../test/helpers/platform.ts';
import { CONSOLE_DIST } from '../../api/routes/console.ts';
import { type ServerProcess, startServer } from '../../bench/server-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.DATAPULSE_SCREENSHOTS;
export const WAIT = 15_000;

/** `describe` when Chromium is there (always in CI), else a skipped suite that says why. */
export function browserSuite(name: string, body: () => void): void {
  const runs = existsSync(CHROMIUM) || !!process.env.CI;
  if (runs) describe(name, body);
  else
    describe.skip(
      `${name} — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); it always runs in CI`,
      body,
    );
}

export interface ConsoleSession {
  server: ServerProcess;
  /** The bootstrap owner API token. */
  token: string;
  dataDir: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors (except failed resource loads). */
  pageErrors: string[];
  visible(testId: string): Promise<void>;
  text(s: string | RegExp): Promise<void>;
  nav(testId: string): Promise<void>;
  /** A screenshot into $DATAPULSE_SCREENSHOTS, when set. */
  shot(name: string): Promise<void>;
  /** fetch against the server's API with the owner token: `api('/sources')`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a server (extra `env` passed to it) and a browser page on it, signed out. */
export async function openConsole(env: Record<string, string> = {}): Promise<ConsoleSession> {
  const distIndex = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(distIndex))
    throw new Error(`The console is not built (${distIndex} is missing): run npm run build:web`);
  const data = tempDataDir();
  // Start-up runs migrations on fresh stores: on a busy 2-core CI machine that has taken ~50 s.
  const server = await startServer({ DATAPULSE_DATA_DIR: data.dir, ...env }, 90_000);
  const token = readFileSync(join(data.dir, 'bootstrap-token'), 'utf8').trim();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text());
  });
  return {
    server,
    token,
    dataDir: data.dir,
    browser,
    context,
    page,
    pageErrors,
    visible: (testId) => page.getByTestId(testId).first().waitFor({ timeout: WAIT }),
    text: (s) => page.getByText(s).first().waitFor({ timeout: WAIT }),
    async nav(testId) {
      await page.getByTestId(testId).click();
      await page.waitForLoadState('domcontentloaded');
    },
    async shot(name) {
      if (!SHOTS) return;
      mkdirSync(SHOTS, { recursive: true });
      await page.waitForTimeout(400); // let charts finish their entry animation
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    },
    api: (path, init = {}) =>
      fetch(`${server.url}/api/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    async close() {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
      data.remove();
    },
  };
}

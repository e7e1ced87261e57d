import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDb, type DbHandle } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { loadDemoScenario } from '../src/services/demo/index.ts';
import { buildApp } from '../src/api/app.ts';
import { createUser } from '../src/services/accounts/users.ts';
import { SYSTEM_ACTOR } from '../src/services/context.ts';

/**
 * End-to-end flows in a real browser (Debian's chromium driven by playwright-core) against the real
 * server on an embedded database with the demo scenario. Any console error or failed request fails
 * the test. Screenshots of every page go to docs/screenshots/.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = `${ROOT}docs/screenshots`;

let handle: DbHandle;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const problems: string[] = [];
const E2E_PASSWORD = 'e2e-password-long-enough';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`);
  if (!existsSync(`${ROOT}web/dist/index.html`)) {
    execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '--config', `${ROOT}web/vite.config.ts`, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  handle = await openDb({ kind: 'pglite' });
  await migrateToLatest(handle.db);
  await loadDemoScenario(handle.db);
  await createUser({ db: handle.db }, SYSTEM_ACTOR, { username: 'e2e-coordinator', role: 'coordinator', password: E2E_PASSWORD });
  app = await buildApp({ deps: { db: handle.db }, dbKind: 'pglite', logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  // Console errors fail the run; the browser's own "Failed to load resource" lines are left to the
  // response listener, which names the URL. Asking who is signed in may answer 401 (the cue for the
  // sign-in page) or 404 (a server without accounts): neither is a failure.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  // A navigation cancels the previous page's fetches (net::ERR_ABORTED): that is the browser tidying up, not a failure.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (new URL(r.url()).pathname === '/api/auth/me' && (r.status() === 401 || r.status() === 404)) return;
    problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await handle?.close();
});

async function open(path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
}

// Each test answers for its own requests, so one failure does not fail every test after it.
beforeEach(() => {
  problems.length = 0;
});

describe('the web app in a browser', () => {
  it('signs in as a coordinator when the server asks for it', async () => {
    await page.goto(`${base}/`);
    await page.locator('nav[aria-label="Main"], form[aria-label="Sign in"]').first().waitFor();
    const form = page.getByRole('form', { name: 'Sign in' });
    if (await form.isVisible()) {
      await page.screenshot({ path: `${SHOTS}/sign-in.png` });
      await form.getByLabel('Username').fill('e2e-coordinator');
      await form.getByLabel('Password').fill(E2E_PASSWORD);
      await form.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows the dashboard with the next meeting and the stock chart', async () => {
    await open('/');
    await expect(page.getByRole('heading', { name: 'Dashboard' }).isVisible()).resolves.toBe(true);
    await page.getByText('Ukraine Defence Contact Group', { exact: false }).first().waitFor();
    await page.getByRole('img', { name: /Days of supply/ }).waitFor();
    await page.screenshot({ path: `${SHOTS}/dashboard.png` });
    expect(problems).toEqual([]);
  }, 60_000);

  it('creates a requirement and validates it', async () => {
    await open('/requirements');
    await page.getByRole('button', { name: 'New requirement' }).click();
    const form = page.getByRole('complementary', { name: 'New requirement' });
    await form.getByLabel('Title').fill('E2E 155 mm for the southern front');
    await form.getByLabel('Item code').fill('155mm-he-m795');
    await form.getByLabel('Quantity').fill('5000');
    await form.getByLabel('Priority').selectOption('1');
    await form.getByLabel('Need by').fill('2027-06-30');
    await form.getByRole('button', { name: 'Create requirement' }).click();
    const detail = page.getByRole('complementary', { name: /^Requirement R-/ });
    await detail.getByText('E2E 155 mm for the southern front').waitFor();
    await detail.getByRole('button', { name: 'Move to validated' }).click();
    await detail.getByText('validated', { exact: true }).waitFor();
    await page.screenshot({ path: `${SHOTS}/requirements.png` });
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows the server’s message under the field when a form is wrong, and writes nothing', async () => {
    const before = problems.length;
    await page.getByRole('button', { name: 'New requirement' }).click();
    const form = page.getByRole('complementary', { name: 'New requirement' });
    await form.getByLabel('Item code').fill('no-such-item');
    await form.getByLabel('Quantity').fill('10');
    await form.getByLabel('Need by').fill('2027-06-30');
    await form.getByRole('button', { name: 'Create requirement' }).click();
    await form.getByText('unknown item type no-such-item').first().waitFor();
    // The 400 is the point of this test; nothing else may fail.
    expect(problems.slice(before)).toEqual([expect.stringMatching(/^HTTP 400: .*\/api\/requirements$/)]);
    problems.splice(before);
  }, 60_000);

  let pledgeId = '';
  it('creates a pledge with two tranches and commits it', async () => {
    await open('/pledges');
    await page.getByRole('button', { name: 'New pledge' }).click();
    const form = page.getByRole('complementary', { name: 'New pledge' });
    await form.getByLabel('Donor (ISO code)').fill('DEU');
    await form.getByLabel('Item code').fill('155mm-he-m795');
    await form.getByLabel('Quantity 1').fill('300000');
    await form.getByLabel('Expected on 1').fill('2026-12-15');
    await form.getByRole('button', { name: 'Add tranche' }).click();
    await form.getByLabel('Quantity 2').fill('200000');
    await form.getByLabel('Expected on 2').fill('2027-02-01');
    await form.getByRole('button', { name: 'Create pledge' }).click();
    const detail = page.getByRole('complementary', { name: /^Pledge P-/ });
    await detail.getByRole('cell', { name: /\/T2$/ }).waitFor();
    pledgeId = ((await detail.getByRole('heading').first().textContent()) ?? '').trim();
    expect(pledgeId).toMatch(/^P-\d+$/);
    await detail.getByRole('button', { name: 'Move to committed' }).click();
    await detail.getByRole('button', { name: 'Move to contracted' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/pledges.png` });
    expect(problems).toEqual([]);
  }, 60_000);

  it('runs a plan and finds the new pledge allocated', async () => {
    await open('/plan');
    await page.getByRole('button', { name: 'Run plan' }).click();
    await page.getByText(/^PLAN-\d{4}$/).first().waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'By pledge' }).click();
    await page.getByLabel('Find a pledge or requirement').fill(pledgeId);
    await page.getByRole('cell', { name: pledgeId, exact: true }).waitFor();
    const units = await page.getByRole('row').filter({ hasText: pledgeId }).getByRole('cell').nth(2).textContent();
    expect(Number((units ?? '0').replace(/,/g, ''))).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/plan.png` });
    expect(problems).toEqual([]);
  }, 90_000);

  it('downloads the next meeting’s brief as a PDF from the dashboard', async () => {
    await open('/');
    const link = page.getByRole('link', { name: 'PDF' }).first();
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^brief-.+\.pdf$/);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
  }, 90_000);

  it('lists meetings with their reports and nations with their spending', async () => {
    await open('/meetings');
    await page.getByRole('cell', { name: /Contact Group/ }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/meetings.png` });
    await open('/nations');
    await page.getByRole('cell', { name: 'Germany' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/nations.png` });
    expect(problems).toEqual([]);
  }, 60_000);
});

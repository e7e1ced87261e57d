import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { openDb, type DbHandle } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { loadDemoScenario } from '../src/services/demo/index.ts';
import { buildApp } from '../src/api/app.ts';
import { createUser } from '../src/services/accounts/users.ts';
import { SYSTEM_ACTOR } from '../src/services/context.ts';

/**
 * End-to-end flows in a real browser (Debian's chromium driven by playwright-core) against the real server
 * on an embedded database with the demo scenario. Any console error or failed request fails the test.
 * Screenshots of every page go to docs/screenshots/.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = `${ROOT}docs/screenshots`;
const PASSWORD = 'e2e-password-long-enough';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let handle: DbHandle;
let app: FastifyInstance;
let context: BrowserContext;
let page: Page;
let base: string;
let profile: string;
const problems: string[] = [];

/** Records every console error, failed request and HTTP error a page meets. */
function watch(p: Page, into: string[]): void {
  // The browser's own "Failed to load resource" lines are left to the response listener, which names the
  // URL. Asking who is signed in answers 401 before sign-in: that is the cue for the sign-in page.
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) into.push(`console: ${m.text()}`);
  });
  p.on('pageerror', (e) => into.push(`page error: ${e.message}`));
  // A request the browser aborts because the test navigated away is not a failure of the app.
  p.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') into.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  p.on('response', (r) => {
    if (r.status() < 400) return;
    if (new URL(r.url()).pathname === '/api/auth/me' && r.status() === 401) return;
    into.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
}

/** Signs a fresh browser context in as a user, through the sign-in page. */
async function signIn(p: Page, username: string): Promise<void> {
  await p.goto(`${base}/`);
  const form = p.getByRole('form', { name: 'Sign in' });
  await form.waitFor();
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('navigation', { name: 'Main' }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    const message = `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this`;
    if (process.env.CI === 'true') throw new Error(message);
    throw new Error(`${message}. The browser tests cannot run without it.`);
  }
  execFileSync(process.execPath, [`${ROOT}bin/build-web-if-needed.mjs`], { cwd: ROOT, stdio: 'inherit' });
  handle = await openDb({ kind: 'pglite' });
  await migrateToLatest(handle.db);
  await loadDemoScenario(handle.db);
  const deps = { db: handle.db };
  await createUser(deps, SYSTEM_ACTOR, { username: 'e2e-coordinator', role: 'coordinator', password: PASSWORD });
  await createUser(deps, SYSTEM_ACTOR, { username: 'e2e-observer', role: 'observer', password: PASSWORD });
  await createUser(deps, SYSTEM_ACTOR, { username: 'e2e-donor', role: 'donor', nation: 'POL', password: PASSWORD });
  app = await buildApp({ deps, dbKind: 'pglite', logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  profile = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
  // A persistent context gives the browser its own fresh profile directory (--user-data-dir).
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = context.pages()[0] ?? (await context.newPage());
  watch(page, problems);
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  await handle?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Saves a screenshot of the page from its top, once its requests have settled. */
async function shot(name: string, fullPage = false): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Form controls on the page without a name a screen reader can say (no label, aria-label or button text). */
function unlabelled(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label') || (e.tagName === 'BUTTON' && e.textContent?.trim())))
      .map((e) => e.outerHTML.slice(0, 120)),
  );
}

/** What in a dashboard card reaches past the card's edges: a table or line too wide for it. */
function cardOverflow(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll('section.card')].flatMap((card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll('*')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
        })
        .map((e) => `${card.querySelector('h2')?.textContent ?? '?'}: <${e.tagName.toLowerCase()}> ${(e.textContent ?? '').slice(0, 40)}`);
    }),
  );
}

/** Texts of a chart that overlap the given one (by its start), e.g. a marker's label and an axis title. */
function overlappingTexts(p: Page, chart: string, text: string): Promise<string[] | null> {
  return p.evaluate(
    ([chartLabel, start]) => {
      const svg = [...document.querySelectorAll('[role="img"]')].find((e) => e.getAttribute('aria-label')?.startsWith(chartLabel));
      const texts = [...(svg?.querySelectorAll('text') ?? [])];
      const mine = texts.find((t) => t.textContent?.startsWith(start));
      if (!mine) return null;
      const a = mine.getBoundingClientRect();
      return texts
        .filter((t) => t !== mine && t.textContent)
        .filter((t) => {
          const b = t.getBoundingClientRect();
          return b.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        })
        .map((t) => t.textContent ?? '');
    },
    [chart, text] as const,
  );
}

// Each test answers for its own requests, so one failure does not fail every test after it.
beforeEach(() => {
  problems.length = 0;
});
// Any console error, page error or failed request a test meets fails it, including a test that does not
// check for itself (the ones that provoke a refusal on purpose take it off the list first).
afterEach(() => {
  expect(problems, 'console errors and failed requests during the test').toEqual([]);
});

describe('the web app in a browser', () => {
  it('signs in as a coordinator', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await signIn(page, 'e2e-coordinator');
    await expect(page.getByText('coordinator', { exact: true }).isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('notices a console error and a failed request (the guard every test relies on)', async () => {
    await page.evaluate(async () => {
      console.error('probe: an error in the console');
      await fetch('/api/no-such-route');
    });
    await expect.poll(() => problems.length).toBe(2);
    expect(problems.splice(0).sort()).toEqual(['HTTP 404: GET ' + base + '/api/no-such-route', 'console: probe: an error in the console']);
  }, 30_000);

  it('loads the dashboard shell and the next meeting in under a second', async () => {
    // Let the reports the sign-in's dashboard asked for finish first (the slowest, delays, comes last), so
    // this measures a load on an idle server, as a user opening the app meets it.
    await page.getByRole('img', { name: /delivery slippage/ }).waitFor({ timeout: 60_000 });
    await page.reload();
    await page.getByRole('img', { name: /delivery slippage/ }).waitFor({ timeout: 60_000 });
    // The server runs in this process, so its work delays what this test observes; the app's own marks,
    // taken in the browser against the navigation's start, are the true times.
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name.replace('concord:', ''), Math.round(m.startTime)])));
    console.info(`dashboard in the browser (ms after navigation start): ${JSON.stringify(marks)}`);
    expect(marks['dashboard-shown']).toBeLessThan(1000);
    expect(marks['next-meeting-shown']).toBeLessThan(1000);
  }, 90_000);

  it('creates a requirement, refuses a bad edit field by field, and validates it', async () => {
    await open('/requirements');
    await page.getByRole('button', { name: 'New requirement' }).click();
    const form = page.getByRole('complementary', { name: 'New requirement' });
    await form.getByLabel('Title').fill('E2E 155 mm for the southern front');
    await form.getByLabel('Item code').fill('155mm-he-m795');
    await form.getByLabel('Quantity').fill('5000');
    await form.getByLabel('Priority').selectOption('1');
    await form.getByLabel('Need by').fill('2027-06-30');
    await expect(unlabelled(page)).resolves.toEqual([]);
    await form.getByRole('button', { name: 'Create requirement' }).click();
    const detail = page.getByRole('complementary', { name: /^Requirement R-/ });
    await detail.getByText('E2E 155 mm for the southern front').waitFor();
    const id = ((await detail.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    expect(page.url()).toContain(`id=${id}`);

    // An edit the server refuses shows its message under the field, and changes nothing.
    await detail.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('complementary', { name: `Edit ${id}` });
    await edit.getByLabel('Quantity').fill('-5');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.locator('.field-error').filter({ hasText: /positive/ }).waitFor();
    await expect(edit.getByLabel('Quantity').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/requirement-form.png` });
    expect(problems.splice(0)).toEqual([expect.stringMatching(/^HTTP 400: PATCH .*\/api\/requirements\/R-/)]);
    await edit.getByLabel('Quantity').fill('6000');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await detail.getByText('6,000', { exact: true }).waitFor();

    await detail.getByRole('button', { name: 'Move to validated' }).click();
    await detail.getByText('validated', { exact: true }).waitFor();
    await detail.getByText('History').click();
    await detail.locator('.timeline li').first().waitFor();
    await shot('requirements');
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows the server’s message under the field when a new requirement names an unknown item', async () => {
    await open('/requirements?mode=new');
    const form = page.getByRole('complementary', { name: 'New requirement' });
    await form.getByLabel('Item code').fill('no-such-item');
    await form.getByLabel('Quantity').fill('10');
    await form.getByLabel('Need by').fill('2027-06-30');
    await form.getByRole('button', { name: 'Create requirement' }).click();
    await form.getByText('unknown item type no-such-item').first().waitFor();
    // The 400 is the point of this test; nothing else may fail.
    expect(problems.splice(0)).toEqual([expect.stringMatching(/^HTTP 400: POST .*\/api\/requirements$/)]);
  }, 60_000);

  it('filters requirements on the server and opens one with the keyboard', async () => {
    await open('/requirements?capabilityArea=air-defence&priority=1');
    const table = page.getByRole('table', { name: 'Requirements' });
    const first = table.getByRole('row').nth(1);
    await first.waitFor();
    await expect(table.getByRole('row').filter({ hasText: 'artillery' }).count()).resolves.toBe(0);
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: /^Requirement R-/ }).getByText('air-defence').first().waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  let pledgeId = '';
  it('creates a pledge with two tranches, commits it and edits a tranche in place', async () => {
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
    await expect(unlabelled(page)).resolves.toEqual([]);
    await form.getByRole('button', { name: 'Create pledge' }).click();
    const detail = page.getByRole('complementary', { name: /^Pledge P-/ });
    // The panel is titled with the pledge id, so its tranche rows read T1, T2 (the full id is their title).
    await detail.getByRole('cell', { name: 'T2', exact: true }).waitFor();
    await expect(detail.getByRole('cell', { name: 'T1', exact: true }).count()).resolves.toBe(1);
    pledgeId = ((await detail.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    expect(pledgeId).toMatch(/^P-\d+$/);
    await detail.getByRole('button', { name: 'Move to committed' }).click();
    await detail.getByRole('button', { name: 'Move to contracted' }).waitFor();

    await detail.getByRole('button', { name: 'Edit tranches' }).click();
    await detail.getByLabel('Quantity 2').fill('250000');
    await detail.getByRole('button', { name: 'Save tranches' }).click();
    await detail.getByRole('cell', { name: '250,000' }).waitFor();
    await detail.getByText('550,000 × 155mm-he-m795').waitFor();
    await shot('pledges');
    expect(problems).toEqual([]);
  }, 60_000);

  it('runs a plan and finds the new pledge allocated, by pledge and by donor', async () => {
    await open('/plan');
    await page.getByRole('button', { name: 'Run plan' }).click();
    await page.getByRole('heading', { name: /^PLAN-\d{4}$/ }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'By pledge' }).click();
    await page.getByLabel('Find a pledge or requirement').fill(pledgeId);
    await page.getByRole('cell', { name: pledgeId, exact: true }).waitFor();
    const units = await page.getByRole('row').filter({ hasText: pledgeId }).getByRole('cell').nth(2).textContent();
    expect(Number((units ?? '0').replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByLabel('Find a pledge or requirement').fill('');
    await page.getByRole('tab', { name: 'By donor' }).click();
    await page.getByRole('cell', { name: 'DEU', exact: true }).waitFor({ timeout: 30_000 });
    await expect(unlabelled(page)).resolves.toEqual([]);
    await shot('plan');

    // A second run with a steeper late penalty, compared with the first.
    await page.getByLabel('Late penalty per unit and day').fill('5');
    await page.getByRole('button', { name: 'Run plan' }).click();
    await page.getByRole('heading', { name: /^Since PLAN-\d{4}$/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Changes' }).click();
    await page.getByRole('table', { name: 'Allocation lines that changed' }).waitFor();
    await shot('plan-diff');

    // The pledge's own page shows where the plan sends it.
    await open(`/pledges?id=${pledgeId}`);
    await page.getByRole('region', { name: 'In the current plan' }).getByRole('link', { name: /^R-/ }).first().waitFor();
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows the dashboard: gaps, forecast, burden and slippage, each linked to its rows', async () => {
    await open('/');
    await page.getByRole('img', { name: /delivered, committed and still missing, by capability area/ }).waitFor();
    await page.getByRole('img', { name: /Projected stock of/ }).waitFor();
    await page.getByRole('img', { name: /against fair share by ally/ }).waitFor();
    await page.getByRole('img', { name: /delivery slippage/ }).waitFor({ timeout: 60_000 });
    await shot('dashboard', true);
    // At 1280 px every card holds its content (the top gaps' last column used to spill out), and the
    // forecast's stock-out label clears the axis title and tick labels.
    await expect(cardOverflow(page)).resolves.toEqual([]);
    await expect(unlabelled(page)).resolves.toEqual([]);
    await expect(overlappingTexts(page, 'Projected stock of', 'stock-out')).resolves.toEqual([]);
    // The sidebar's colour runs the full height of this long page: it is painted on the shell, which spans it.
    const shell = await page.evaluate(() => {
      const app = document.querySelector('.app')!;
      return { height: app.getBoundingClientRect().height, page: document.documentElement.scrollHeight, paint: getComputedStyle(app).backgroundImage };
    });
    expect(shell.height).toBeGreaterThanOrEqual(shell.page - 1);
    expect(shell.paint).toContain('rgb(19, 35, 58)');
    // The top gaps, reordered by value, start with the largest gap the plan card names.
    const largest = ((await page.locator('p.largest').getByRole('link').textContent()) ?? '').trim();
    await page.getByRole('tab', { name: 'largest by value' }).click();
    await expect(page.getByRole('table', { name: 'Largest gaps' }).getByRole('link').first().textContent()).resolves.toBe(largest);
    await page.getByRole('tab', { name: 'most urgent' }).click();
    // The top gap opens its requirement, with who supplies it.
    await page.getByRole('table').filter({ hasText: 'Short by' }).getByRole('link', { name: /^R-/ }).first().click();
    await page.getByRole('complementary', { name: /^Requirement R-/ }).getByRole('region', { name: 'Supply in the current plan' }).waitFor();
    // A chart's figures link to the rows behind them.
    await open('/');
    const gaps = page.locator('section.card').filter({ hasText: 'Coverage of requirements by value' });
    await gaps.getByText('Figures').click();
    await gaps.getByRole('link').filter({ hasText: /^[a-z-]+$/ }).first().click();
    await page.getByRole('heading', { name: 'Requirements', level: 1 }).waitFor();
    expect(page.url()).toMatch(/capabilityArea=/);
    expect(problems).toEqual([]);
  }, 120_000);

  it('reaches every card’s rows and every chart’s figures by keyboard, with a visible focus ring', async () => {
    await open('/');
    await page.getByRole('img', { name: /delivery slippage/ }).waitFor({ timeout: 60_000 });
    const wanted = ['meeting →', 'plan →', 'tranches →', 'requirements →', 'incoming tranches →', 'all nations →', 'deliveries →'];
    const reached = new Map<string, number>();
    let figures = 0;
    for (let i = 0; i < 150 && (figures < 4 || reached.size < wanted.length); i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e) return null;
        const style = getComputedStyle(e);
        return { text: (e.textContent ?? '').trim(), rows: e.classList.contains('rows-link'), summary: e.tagName === 'SUMMARY', ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
      if (!at || !(at.rows || at.summary)) continue;
      expect(at.ring, `focus ring on ${at.text}`).toBe(true);
      if (at.summary) figures++;
      else reached.set(at.text, i);
    }
    expect([...reached.keys()].sort()).toEqual([...wanted].sort());
    expect(figures).toBe(4);
    // A row of tabs is one Tab stop; the arrow keys select and focus the neighbouring tab.
    await page.getByRole('tab', { name: 'most urgent' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'largest by value' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('largest by value');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('table', { name: 'Most urgent gaps' }).waitFor();
    // Enter on a rows link follows it.
    const rows = page.locator('section.card').filter({ hasText: 'Coverage of requirements by value' }).getByRole('link', { name: 'requirements →' });
    await rows.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Requirements', level: 1 }).waitFor();
    expect(page.url()).toContain('status=');
    // Enter opens a chart's figures; the next Tab lands on its first row, and Enter follows it.
    await open('/');
    const card = page.locator('section.card').filter({ hasText: 'Delivery slippage' });
    const summary = card.locator('summary');
    await summary.waitFor({ timeout: 60_000 });
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(card.locator('details').getAttribute('open')).resolves.not.toBeNull();
    await page.keyboard.press('Tab');
    const donor = ((await page.evaluate(() => document.activeElement?.textContent)) ?? '').trim();
    expect(donor).toMatch(/^[A-Z]{3}$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Pledges', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('donor')).toBe(donor);
    expect(problems).toEqual([]);
  }, 120_000);

  it('finds the largest gap, sees who pledged against it and pledges against it from there', async () => {
    await open('/');
    const largest = page.locator('p.largest').getByRole('link');
    await largest.waitFor({ timeout: 30_000 });
    const id = ((await largest.textContent()) ?? '').trim();
    await largest.click();
    const detail = page.getByRole('complementary', { name: `Requirement ${id}` });
    const against = detail.getByRole('region', { name: 'Pledged against it' });
    await against.getByText(/ short, /).waitFor();
    await detail.getByRole('region', { name: 'Supply in the current plan' }).waitFor();
    await against.getByRole('link', { name: 'Pledge against this need' }).click();
    const form = page.getByRole('complementary', { name: 'New pledge' });
    await expect(form.getByLabel('Designated to requirement').inputValue()).resolves.toBe(id);
    await form.getByLabel('Donor (ISO code)').fill('NOR');
    await form.getByLabel('Quantity 1').fill('1');
    await form.getByLabel('Expected on 1').fill('2027-03-01');
    await form.getByRole('button', { name: 'Create pledge' }).click();
    const pledge = page.getByRole('complementary', { name: /^Pledge P-/ });
    await pledge.getByText('NOR: 1 ×').waitFor();
    const pledgeId = ((await pledge.getByRole('heading', { level: 2 }).first().textContent()) ?? '').trim();
    await pledge.getByRole('link', { name: id, exact: true }).click();
    const designated = page.getByRole('table', { name: `Pledges designated to ${id}` });
    await designated.getByRole('row').filter({ hasText: pledgeId }).getByRole('cell', { name: 'NOR' }).waitFor();
    // The open offers of the group the requirement accepts (which the plan shares out) are listed too; the new
    // pledge is one, so the list is not empty.
    await page.getByRole('table', { name: /^Open pledges of / }).getByRole('link', { name: /^P-/ }).first().waitFor();
    await shot('requirement-gap');
    expect(problems).toEqual([]);
  }, 90_000);

  it('downloads the next meeting’s brief as a PDF from the dashboard', async () => {
    await open('/');
    const link = page.getByRole('link', { name: 'PDF' }).first();
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^brief-.+\.pdf$/);
    expect(readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
  }, 90_000);

  it('reads a meeting’s brief in the page and downloads its outcome report as XLSX', async () => {
    await open('/meetings');
    await page.getByRole('cell', { name: /Contact Group/ }).first().waitFor();
    const next = page.getByRole('row').filter({ hasText: 'brief' }).last();
    await next.click();
    const panel = page.getByRole('complementary', { name: /^Meeting / });
    await panel.getByRole('button', { name: 'Read the brief' }).click();
    await page.getByRole('article').getByRole('heading', { name: /^Brief: / }).waitFor({ timeout: 60_000 });
    await page.getByRole('article').getByRole('heading', { name: 'Top gaps by capability' }).waitFor();
    await shot('meetings', true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), panel.getByRole('link', { name: 'outcome as XLSX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^outcome-.+\.xlsx$/);
    expect(readFileSync(await download.path()).subarray(0, 2).toString()).toBe('PK');
    expect(problems).toEqual([]);
  }, 120_000);

  it('ranks nations against their fair share', async () => {
    await open('/nations');
    await page.getByRole('cell', { name: 'Germany' }).waitFor();
    await page.getByRole('img', { name: /Committed ÷ fair share by nation/ }).waitFor();
    // Every figure the page promises is a column at 1280 px: none is dropped for want of room.
    for (const column of ['GDP (USD bn)', 'Defence % GDP', 'Participation', 'Fair share', 'Committed', 'Delivered', '× fair share']) {
      await expect(page.getByRole('table', { name: 'Nations' }).getByRole('columnheader', { name: column, exact: true }).count(), column).resolves.toBe(1);
    }
    await shot('nations', true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('offers each role only what it may do', async () => {
    const seen: string[] = [];
    // The browser profile is one session: sign the coordinator out and come back as other roles.
    const other = await context.newPage();
    watch(other, seen);
    await other.goto(`${base}/`);
    await other.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }).click();
    // Signing out shows the sign-in page, and the dashboard asks for nothing more (no request refused).
    await other.getByRole('form', { name: 'Sign in' }).waitFor();
    await signIn(other, 'e2e-observer');
    const nav = other.getByRole('navigation', { name: 'Main' });
    await nav.getByText('observer', { exact: true }).waitFor();
    await expect(nav.getByRole('link', { name: 'Pledges' }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Nations' }).count()).resolves.toBe(1);
    // The dashboard links an observer only to pages an observer may open (meetings, nations), never to a
    // "not for your role" page; the charts' figures are still there, as text.
    await other.getByRole('img', { name: /delivery slippage/ }).waitFor({ timeout: 60_000 });
    await expect(other.locator('main a[href^="/pledges"], main a[href^="/requirements"], main a[href^="/plan"]').count()).resolves.toBe(0);
    await expect(other.locator('main a.rows-link').count()).resolves.toBe(2);
    await nav.getByRole('button', { name: 'Sign out' }).click();
    await other.getByRole('form', { name: 'Sign in' }).waitFor();
    await signIn(other, 'e2e-donor');
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requirements' }).click();
    await other.getByRole('heading', { name: 'Requirements', level: 1 }).waitFor();
    await expect(other.getByRole('button', { name: 'New requirement' }).count()).resolves.toBe(0);
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pledges' }).click();
    await other.getByRole('button', { name: 'New pledge' }).click();
    await expect(other.getByRole('complementary', { name: 'New pledge' }).getByLabel('Donor (ISO code)').inputValue()).resolves.toBe('POL');
    await other.close();
    expect(seen).toEqual([]);
  }, 90_000);
});

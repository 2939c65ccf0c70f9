// The auditor console in a real browser: headless Chromium (Debian's package; this machine cannot
// download browsers) driven by playwright-core opens the console served by an embedded backbone,
// logs in with the admin token, finds the case `nrm demo` drove, sees its referral chain drawn and
// the green integrity badge the browser computed from the proofs, switches to Vietnamese, and
// saves a screenshot as a test artifact. A bad token shows an error instead.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startEmbeddedBackbone } from './embedded-backbone.ts';
import { runNrm } from './nrm-process.ts';

const CHROMIUM = process.env.NRM_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const WAIT_MS = 30_000;
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) console.warn(`auditor console e2e skipped: no Chromium at ${CHROMIUM} (install the Debian package chromium: apt-get install --no-install-recommends chromium)`);

describe.skipIf(!hasChromium)('the auditor console in headless Chromium (Debian package chromium)', () => {
  let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
  let browser: Browser | undefined;
  let caseId: string;
  let eventCount: number;
  let consoleUrl: string;
  /** The errors of the page opened last (the invalid-token test's 401 is expected there, not here). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    running = await startEmbeddedBackbone('auditor-console');
    const demo = await runNrm(['demo', '--url', running.backbone.url, '--data-dir', running.dataDir], { timeoutMs: 60_000 });
    expect(demo.code, demo.stderr).toBe(0);
    caseId = /The chain of case (\S+)/.exec(demo.stdout)?.[1] ?? '';
    expect(caseId, demo.stdout).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const history = await fetch(`${running.backbone.url}/v1/audit/cases/${caseId}`, { headers: { authorization: `Bearer ${running.backbone.adminToken}` } });
    eventCount = ((await history.json()) as { events: unknown[] }).events.length;
    consoleUrl = `${running.backbone.url}/v1/audit/console`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: WAIT_MS });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  async function openConsole(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const page = await context.newPage();
    pageErrors.length = 0;
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // Anything but this backbone would be an external request: the console must need none.
    await page.route('**/*', (route) => (route.request().url().startsWith(running.backbone.url) ? route.continue() : route.abort()));
    await page.goto(consoleUrl, { timeout: WAIT_MS });
    return page;
  }

  async function logIn(page: Page, token: string): Promise<void> {
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('refuses an invalid token with a clear error', async () => {
    const page = await openConsole();
    try {
      await logIn(page, 'not-a-token');
      await expect.poll(() => page.locator('#login-error').textContent(), { timeout: WAIT_MS }).toContain('401');
      expect(await page.locator('#case-section').isHidden()).toBe(true);
    } finally {
      await page.context().close();
    }
  });

  it('checks a case id before asking, says plainly when there is no such case, and turns red on a forged proof', async () => {
    const page = await openConsole();
    try {
      await logIn(page, running.backbone.adminToken!);
      const search = async (id: string) => {
        await page.getByLabel('Case id').fill(id);
        await page.getByRole('button', { name: 'Search' }).click();
      };
      await search('not-a-ulid');
      await expect.poll(() => page.locator('#case-message').textContent(), { timeout: WAIT_MS }).toContain('A case id is a ULID');
      await search('01KAAAAAAAAAAAAAAAAAAAAAAA');
      await expect.poll(() => page.locator('#case-message').textContent(), { timeout: WAIT_MS }).toContain('(404)');

      // One proof altered on its way to the browser: the first hash of its audit path flipped.
      let forged: string | undefined;
      await page.route('**/v1/audit/log/proofs/inclusion?**', async (route) => {
        const response = await route.fetch();
        const proof = (await response.json()) as { eventId: string; auditPath: string[] };
        if (forged === undefined && proof.auditPath.length > 0) {
          forged = proof.eventId;
          const first = Buffer.from(proof.auditPath[0]!, 'base64');
          first[0]! ^= 1;
          proof.auditPath[0] = first.toString('base64');
        }
        await route.fulfill({ response, json: proof });
      });
      await search(caseId);
      await page.waitForSelector('#badge[data-state="verified"], #badge[data-state="failed"], #badge[data-state="unsigned"]', { timeout: WAIT_MS });
      expect(await page.locator('#badge').getAttribute('data-state')).toBe('failed');
      expect(await page.locator('#badge').textContent()).toContain(`Not verified: event ${forged}: the audit path does not lead to the signed root`);
    } finally {
      await page.context().close();
    }
  });

  it('finds the demo case, draws its chain, verifies it green, speaks Vietnamese, and saves a screenshot', async () => {
    const page = await openConsole();
    try {
      await logIn(page, running.backbone.adminToken!);
      await page.getByLabel('Case id').fill(caseId);
      await page.getByRole('button', { name: 'Search' }).click();

      const graph = page.locator('#graph svg[role="img"]');
      await graph.waitFor({ timeout: WAIT_MS });
      expect(await graph.locator('g.node').count()).toBe(eventCount);
      expect(await graph.locator('title').first().textContent()).toContain(caseId);
      expect(await page.locator('#timeline tbody tr').count()).toBe(eventCount);
      expect(await page.locator('#chain-list li').count()).toBe(eventCount);

      const badge = page.locator('#badge');
      await page.waitForSelector('#badge[data-state="verified"], #badge[data-state="failed"], #badge[data-state="unsigned"]', { timeout: WAIT_MS });
      expect(await badge.textContent()).toMatch(new RegExp(`Verified: ${eventCount} events in tree of size \\d+`));
      expect(await badge.getAttribute('data-state')).toBe('verified');
      // Green, and not only green: the badge says so in words and with an icon.
      // Strings run in the page, where the DOM is; this suite is compiled without the DOM's types.
      expect(await page.evaluate("getComputedStyle(document.getElementById('badge')).color")).toBe('rgb(10, 107, 45)');
      expect(await page.evaluate("getComputedStyle(document.querySelector('#badge .badge-icon'), '::before').content")).toBe('"✔"');

      await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bảng điều khiển kiểm toán');
      expect(await page.getByRole('heading', { name: 'Chuỗi chuyển tuyến' }).count()).toBe(1);
      expect(await badge.textContent()).toContain(`Đã xác minh: ${eventCount} sự kiện`);

      await page.locator('#stats svg.rate-chart').waitFor({ timeout: WAIT_MS });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'auditor-console.png'), fullPage: true, timeout: WAIT_MS });
      expect(existsSync(join(ARTIFACTS, 'auditor-console.png'))).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

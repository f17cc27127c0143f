// The seed sample's HTML report in a real browser (Chromium through playwright-core): it loads
// nothing but itself, logs no error, its sections collapse, its severity filters work, it prints.
// Skipped only when no Chromium is installed (CI installs Debian's: see .ci/run).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { cli, REPO, SAMPLES, tempDir } from '../e2e/helpers.js';

const CHROMIUM = [process.env['HRP_DOCTOR_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => !!path && existsSync(path),
);
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT = join(REPO, 'test', 'output');
const SECTIONS = ['summary', 'root-cause-analysis', 'causal-chain', 'detailed-findings', 'recommended-fixes', 'verification', 'prevention', 'all-findings', 'bundle'];

if (!CHROMIUM) {
  // eslint-disable-next-line no-console
  console.warn('test/browser: SKIPPED, no Chromium at /usr/bin/chromium (install it: apt-get install chromium; or set HRP_DOCTOR_CHROMIUM)');
}

describe('CI has a browser', () => {
  it.runIf(process.env['CI'] === 'true')('finds Chromium (CI must not skip the browser tests)', () => {
    expect(CHROMIUM, '.ci/run installs chromium with apt-get').toBeDefined();
  });
});

describe.skipIf(!CHROMIUM)('the HTML report in Chromium', () => {
  let html: string;
  let server: Server;
  let reportUrl: string;
  let browser: Browser;
  let page: Page;
  /** Everything that went wrong on the page, or was loaded besides the report. */
  let problems: string[];
  let served: string[];

  beforeAll(async () => {
    const out = tempDir();
    const file = join(out, 'report.html');
    const result = cli(['analyze', join(SAMPLES, 'seed-incident.tgz'), '-o', file], { SOURCE_DATE_EPOCH: '1766830000' });
    expect(result.status, result.stderr).toBe(0);
    html = readFileSync(file, 'utf8');

    // A loopback server that serves the report and nothing else, and remembers what it was asked.
    served = [];
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/report.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    reportUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report.html`;

    browser = await chromium.launch({ executablePath: CHROMIUM!, args: LAUNCH_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(async () => {
    problems = [];
    served.length = 0;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== reportUrl) problems.push(`request: ${request.method()} ${request.url()}`);
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    const response = await page.goto(reportUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
  });

  afterEach(async () => {
    await page.close();
    // Every test: nothing in the console, no script error, nothing loaded but the report.
    expect(problems).toEqual([]);
    expect(served.filter((url) => url !== '/report.html')).toEqual([]);
  });

  it('is self-contained: a script-free CSP, and the page loads nothing but itself', async () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';/);
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    expect(await page.locator('h1').textContent()).toBe('HCP/HRP Failures Debug Report');
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    // Only the document itself shows up in the resource timeline.
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    expect(resources).toEqual([]);
  });

  it('collapses and expands every top-level section from its heading', async () => {
    for (const id of SECTIONS) {
      const details = page.locator(`#${id} > details.section`);
      const summary = details.locator('> summary');
      const content = details.locator('> :not(summary)').first();
      expect(await details.getAttribute('open'), id).toBe('');
      expect(await content.isVisible(), `${id} starts expanded`).toBe(true);
      await summary.click();
      expect(await content.isVisible(), `${id} collapses`).toBe(false);
      expect(await summary.isVisible()).toBe(true);
      await summary.click();
      expect(await content.isVisible(), `${id} expands again`).toBe(true);
    }
    // From the keyboard too: the heading is focusable, Enter toggles.
    const summary = page.locator('#summary > details.section > summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#summary > details.section').getAttribute('open')).toBeNull();
  });

  it('opens a finding and an Evidence block', async () => {
    const finding = page.locator('#all-findings details.finding').first();
    const body = finding.locator('> p.muted');
    expect(await body.isVisible()).toBe(false);
    await finding.locator('> summary').click();
    expect(await body.isVisible()).toBe(true);
    const evidence = page.locator('#root-cause-analysis .rc-section details').first();
    expect(await evidence.locator('ul').isVisible()).toBe(false);
    await evidence.locator('summary').click();
    expect(await evidence.locator('ul').isVisible()).toBe(true);
  });

  it('filters All Findings by severity with the checkboxes', async () => {
    const errors = page.locator('#all-findings details.finding.error');
    const warnings = page.locator('#all-findings details.finding.warning');
    const allVisible = async (items: typeof errors) => Promise.all((await items.all()).map((item) => item.isVisible()));
    expect(await errors.count()).toBeGreaterThan(0);
    expect(await warnings.count()).toBeGreaterThan(0);
    expect(await page.locator('#all-findings details.finding').count()).toBe(await page.locator('#all-findings .finding-list > details').count());

    await page.locator('#show-warning').uncheck();
    expect(new Set(await allVisible(warnings))).toEqual(new Set([false]));
    expect(new Set(await allVisible(errors))).toEqual(new Set([true]));

    await page.locator('#show-warning').check();
    await page.locator('#show-error').uncheck();
    expect(new Set(await allVisible(warnings))).toEqual(new Set([true]));
    expect(new Set(await allVisible(errors))).toEqual(new Set([false]));

    // The label works as the control, and so does the keyboard.
    await page.locator('label:has(#show-error)').click();
    expect(new Set(await allVisible(errors))).toEqual(new Set([true]));
    await page.locator('#show-warning').focus();
    await page.keyboard.press('Space');
    expect(await page.locator('#show-warning').isChecked()).toBe(false);
    expect(new Set(await allVisible(warnings))).toEqual(new Set([false]));
  });

  it('prints cleanly: print rules expand every section, finding and filter, and a PDF comes out', async () => {
    const printRules = await page.evaluate(() =>
      [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules]).filter((rule) => rule instanceof CSSMediaRule && rule.conditionText === 'print').length,
    );
    expect(printRules).toBeGreaterThan(0);

    // Collapse a section, leave findings closed and filter some out; print shows it all.
    await page.locator('#causal-chain > details.section > summary').click();
    await page.locator('#show-error').uncheck();
    const chain = page.locator('#causal-chain .chain').first();
    const closedFinding = page.locator('#all-findings details.finding.error').first();
    expect(await chain.isVisible()).toBe(false);
    expect(await closedFinding.isVisible()).toBe(false);

    await page.emulateMedia({ media: 'print' });
    expect(await chain.isVisible()).toBe(true);
    expect(await closedFinding.isVisible()).toBe(true);
    expect(await closedFinding.locator('> p.muted').isVisible()).toBe(true);
    expect(await page.locator('#root-cause-analysis .rc-section details ul').first().isVisible()).toBe(true);
    expect(await page.locator('.filters').isVisible()).toBe(false);

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'screen' });
    expect(await chain.isVisible()).toBe(false);
  });

  it('fits narrow windows without a horizontal scroll bar', async () => {
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `at ${width}px`).toBeLessThanOrEqual(0);
    }
  });

  it('screenshots the report into test/output/ (kept by CI)', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const full = join(OUTPUT, 'seed-report.png');
    const top = join(OUTPUT, 'seed-report-top.png');
    await page.screenshot({ path: full, fullPage: true });
    await page.screenshot({ path: top });
    for (const file of [full, top]) {
      expect(readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
  });
});

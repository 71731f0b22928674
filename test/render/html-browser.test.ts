import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/index.ts';
import { render } from '../../src/render/index.ts';
import { HOSTILE, SAMPLE_WITH_PROBLEMS, hostileReport } from '../helpers/hostile-report.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/** Debian's chromium (installed by .ci/run); playwright-core drives it, no browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'dbo-html-'));
let t: TestDatabase;
let context: BrowserContext;
const files: Record<'profile' | 'profileFromJson' | 'query' | 'sample' | 'hostile', string> = { profile: '', profileFromJson: '', query: '', sample: '', hostile: '' };
const reports: Partial<Record<keyof typeof files, Report>> = {};

interface PageWatch {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  readonly loadMs: number;
}

/** Opens a report with every console error, page error, dialog and non-file request recorded. */
async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<PageWatch> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  const watch = { page, errors: [] as string[], requests: [] as string[], dialogs: [] as string[], loadMs: 0 };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) watch.requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  watch.loadMs = await page.evaluate<number>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return nav === undefined ? -1 : nav.loadEventEnd - nav.startTime;
  })()`);
  return watch;
}

/** Pixel statistics of a PNG, computed by the browser itself on a blank page (no image library needed). */
async function pixelStats(png: Buffer): Promise<{ mean: number; variance: number; colours: number }> {
  const page = await context.newPage();
  try {
    // a string, evaluated in the page: the browser's types are not in this Node project's lib
    return await page.evaluate<{ mean: number; variance: number; colours: number }>(`(async (b64) => {
      const img = new Image();
      img.src = \`data:image/png;base64,\${b64}\`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      if (g === null) throw new Error('no 2d context');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let sq = 0;
      const colours = new Set();
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const l = 0.2126 * (d[i] ?? 0) + 0.7152 * (d[i + 1] ?? 0) + 0.0722 * (d[i + 2] ?? 0);
        sum += l;
        sq += l * l;
        if (colours.size < 5000) colours.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
      }
      const mean = sum / n;
      return { mean, variance: sq / n - mean * mean, colours: colours.size };
    })(${JSON.stringify(png.toString('base64'))})`);
  } finally {
    await page.close();
  }
}

async function axeViolations(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol: the page's CSP (our hashes only) does not apply to it
  await page.evaluate(AXE);
  const result = await page.evaluate<{ passes: unknown[]; violations: { id: string; impact: string | null; nodes: unknown[] }[] }>(
    "window.axe.run(document, { resultTypes: ['violations'] })",
  );
  // axe really ran its rules (a page it could not read would pass nothing)
  expect(result.passes.length).toBeGreaterThan(10);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
}

describe.skipIf(!existsSync(CHROMIUM))('--format html in headless Chromium', () => {
  beforeAll(async () => {
    t = await createTestDatabase('html_report');
    // a real database with a hostile table and index names, a duplicate index and an unindexed FK
    await t.exec(`
      CREATE TABLE parent (id int PRIMARY KEY, v int);
      CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id));
      CREATE TABLE "${HOSTILE.replace(/"/g, '""')}" (id int PRIMARY KEY, v int);
      CREATE INDEX parent_v_a ON parent (v);
      CREATE INDEX parent_v_b ON parent (v);
      CREATE INDEX "<img src=x onerror=alert(2)>" ON "${HOSTILE.replace(/"/g, '""')}" (v);
      CREATE INDEX "<b>dup</b>" ON "${HOSTILE.replace(/"/g, '""')}" (v);
      INSERT INTO parent SELECT g, g % 10 FROM generate_series(1, 2000) g;
      INSERT INTO child SELECT g, g % 2000 + 1 FROM generate_series(1, 5000) g;
      ANALYZE;`);
    // the commands as a user runs them, at default flags
    files.profile = join(dir, 'profile.html');
    const p = await runCli(['profile', '--db', t.url, '--format', 'html', '--out', files.profile]);
    expect(p.code, p.stderr).toBe(0);
    // a second run can see one finding more or less (its own statistics moved): count against the same run's JSON
    reports.profile = JSON.parse((await runCli(['profile', '--db', t.url, '--format', 'json'])).stdout) as Report;
    files.profileFromJson = join(dir, 'profile-from-json.html');
    writeFileSync(files.profileFromJson, render(reports.profile, 'html', { color: false }));
    files.query = join(dir, 'query.html');
    const sql = 'SELECT p.id, (SELECT count(*) FROM child c WHERE c.parent_id = p.id) FROM parent p ORDER BY p.v';
    const q = await runCli(['query', '--db', t.url, sql, '--format', 'html', '--out', files.query]);
    expect(q.code, q.stderr).toBe(0);
    reports.query = JSON.parse((await runCli(['query', '--db', t.url, sql, '--format', 'json'])).stdout) as Report;
    files.sample = join(dir, 'sample.html');
    writeFileSync(files.sample, render(SAMPLE_WITH_PROBLEMS, 'html', { color: false }));
    reports.sample = SAMPLE_WITH_PROBLEMS;
    files.hostile = join(dir, 'hostile.html');
    writeFileSync(files.hostile, render(hostileReport(), 'html', { color: false }));
    const profileDir = mkdtempSync(join(tmpdir(), 'dbo-chromium-'));
    // a fresh profile; flags that keep Chromium off the network and quiet in a container
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('profile report: loads with no console error and no network request; findings, charts and sort work', async () => {
    const w = await open(files.profile);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    expect(w.dialogs).toEqual([]);
    const findings = reports.profile?.findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    expect(await w.page.locator('h1').textContent()).toBe('db-optimize profile');
    expect(await w.page.locator('#findings-table tbody tr').count()).toBeGreaterThan(0);
    const same = await open(files.profileFromJson);
    expect(same.errors).toEqual([]);
    expect(await same.page.locator('#findings-table tbody tr').count()).toBe(findings.length);
    expect(await same.page.locator('details.finding').count()).toBe(findings.length);
    // the hostile names arrive as text, never as elements
    expect(await w.page.locator('script').count()).toBe(1);
    expect(await w.page.locator('img, b').count()).toBe(0);
    expect(await w.page.locator('body').textContent()).toContain('<img src=x onerror=alert(2)>');
    // sort by score: ascending then descending
    const scores = async (): Promise<number[]> => w.page.locator('#findings-table tbody tr td:nth-child(6)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sort'))));
    const score = w.page.locator('#findings-table thead th:nth-child(6)');
    await score.locator('button').click();
    expect(await score.getAttribute('aria-sort')).toBe('ascending');
    const asc = await scores();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await score.locator('button').click();
    expect(await score.getAttribute('aria-sort')).toBe('descending');
    const desc = await scores();
    expect(desc).toEqual([...asc].sort((a, b) => b - a));
    // sort by severity groups critical/warning/info together
    await w.page.locator('#findings-table thead th:nth-child(2) button').click();
    const sev = await w.page.locator('#findings-table tbody tr td:nth-child(2)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sort'))));
    expect(sev).toEqual([...sev].sort((a, b) => a - b));
    console.info(`html report load in Chromium: profile ${findings.length} findings, ${w.loadMs.toFixed(0)} ms`);
    await w.page.close();
  });

  it('query report: draws the plan tree with one item per plan node and links to its tips', async () => {
    const w = await open(files.query);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    const nodes = (reports.query?.plan as { nodes: { path: string }[] }).nodes;
    expect(nodes.length).toBeGreaterThan(1);
    expect(await w.page.locator('#plan ul.plan li').count()).toBe(nodes.length);
    expect(await w.page.locator('#plan .node[data-path="0"]').count()).toBe(1);
    await w.page.close();
  });

  it('sample with problems: scorecard first, problems link to findings, charts drawn', async () => {
    const w = await open(files.sample);
    expect(w.errors).toEqual([]);
    const order = await w.page.locator('main > section').evaluateAll((s) => s.map((x) => x.id));
    expect(order.slice(0, 3)).toEqual(['scorecard', 'actions', 'problems']);
    expect(await w.page.locator('#scorecard .card').count()).toBe(3);
    expect(await w.page.locator('#scorecard .fail').count()).toBe(1);
    expect(await w.page.locator('#problems li').count()).toBe(2);
    await w.page.locator('#problems a[href="#f-2"]').click();
    expect(await w.page.evaluate<string>('location.hash')).toBe('#f-2');
    expect(await w.page.locator('#charts svg').count()).toBe(2);
    expect(await w.page.locator('#charts svg rect.bar').count()).toBeGreaterThan(0);
    await w.page.close();
  });

  it('hostile report: nothing runs, nothing is fetched, the text is shown as written', async () => {
    const w = await open(files.hostile);
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    expect(await w.page.locator('script').count()).toBe(1);
    expect(await w.page.locator('img').count()).toBe(0);
    expect(await w.page.locator('h1').textContent()).toBe(`db-optimize profile ${HOSTILE}`);
    await w.page.close();
  });

  it('theme: follows prefers-color-scheme, the toggle switches and the screenshots are not blank', async () => {
    const light = await open(files.sample, 'light');
    const bg = (): Promise<string> => light.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(await bg()).toBe('rgb(255, 255, 255)');
    const lightShot = await pixelStats(await light.page.screenshot());
    const toggle = light.page.locator('#theme-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await light.page.evaluate<string | null>("document.documentElement.getAttribute('data-theme')")).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await bg()).not.toBe('rgb(255, 255, 255)');
    const darkShot = await pixelStats(await light.page.screenshot());
    // the choice is remembered for the next report opened
    // localStorage reaches another page asynchronously (Chromium's storage service): poll, do not sleep
    await expect
      .poll(async () => {
        const again = await open(files.sample, 'light');
        const theme = await again.page.evaluate<string | null>("document.documentElement.getAttribute('data-theme')");
        await again.page.close();
        return theme;
      }, { timeout: 10_000, interval: 200 })
      .toBe('dark');
    await toggle.click();
    expect(await bg()).toBe('rgb(255, 255, 255)');
    // a page with text, bars and badges: many colours and real contrast, in both themes
    for (const s of [lightShot, darkShot]) {
      expect(s.colours).toBeGreaterThan(50);
      expect(s.variance).toBeGreaterThan(100);
    }
    expect(darkShot.mean).toBeLessThan(lightShot.mean - 100);
    console.info(`screenshots: light mean ${lightShot.mean.toFixed(0)} variance ${lightShot.variance.toFixed(0)} colours ${lightShot.colours}; dark mean ${darkShot.mean.toFixed(0)} variance ${darkShot.variance.toFixed(0)} colours ${darkShot.colours}`);
    await light.page.evaluate('localStorage.clear()');
    await light.page.close();
    const dark = await open(files.sample, 'dark');
    expect(await dark.page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).not.toBe('rgb(255, 255, 255)');
    expect(await dark.page.locator('#theme-toggle').getAttribute('aria-pressed')).toBe('true');
    await dark.page.close();
  });

  it.each([
    ['profile', 'light'],
    ['profile', 'dark'],
    ['sample', 'light'],
    ['sample', 'dark'],
    ['query', 'dark'],
  ] as const)('axe-core: no serious or critical accessibility violation (%s, %s)', async (name, scheme) => {
    const w = await open(files[name], scheme);
    expect(await axeViolations(w.page)).toEqual([]);
    await w.page.close();
  }, 180_000);
});

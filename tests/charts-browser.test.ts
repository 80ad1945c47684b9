/**
 * report.html in a real browser: headless Chromium (Debian's /usr/bin/chromium) opens it from a
 * file:// URL with every non-file request aborted, and every chart must draw (an svg or canvas
 * in each chart container, no console errors, nothing fetched). Skipped only when
 * /usr/bin/chromium is absent (CI installs it: apt-get install -y chromium).
 */
import { KEY_MEASURES } from '../src/charts/data.ts';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './chromium.ts';
import { builtInScenario, runReplicates, withOverride } from '../src/index.ts';
import { writeCharts } from '../src/charts/index.ts';

const haveChromium = existsSync(CHROMIUM);
const title = haveChromium
  ? 'report.html in headless Chromium'
  : `report.html in headless Chromium (SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partnersim-report-'));
    const scenario = { ...builtInScenario('gm-2017'), rounds: 36 };
    const seed = 3;
    const labels = [
      { label: 'system', results: runReplicates(scenario, { seed, replicates: 3 }) },
      { label: 'organisational', results: runReplicates(withOverride(scenario, 'regime.accountability', 0.1), { seed, replicates: 3 }) },
    ];
    await writeCharts(dir, {
      scenario, labels, seed,
      options: { forcefieldFactors: ['trust.initial', 'regime.pacePressure'], forcefieldOutcomes: ['populationOutcome', 'scope'] },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart offline from file:// with no console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const aborted: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      aborted.push(url);
      return route.abort();
    });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });

    const charts = await page.$$eval('.vis', (elements) => elements.map((el) => ({
      id: el.id,
      state: el.getAttribute('data-rendered'),
      drawn: el.querySelector('svg, canvas') !== null,
      marks: el.querySelectorAll('svg path, svg text, canvas').length,
    })));
    // A comparison draws the trust matrix, the trust network and the forcefield of every label.
    expect(charts.map((c) => c.id)).toEqual([
      'chart-trajectories', 'chart-final-outcomes', 'chart-gap', 'chart-stages',
      'chart-trust-matrix-system', 'chart-trust-network-system', 'chart-trust-matrix-organisational', 'chart-trust-network-organisational',
      'chart-forcefield-system', 'chart-forcefield-organisational',
    ]);
    expect(await page.locator('#section-trust-matrix figcaption').allTextContents()).toEqual(['system', 'organisational']);
    for (const chart of charts) {
      expect(chart.state, chart.id).toBe('true');
      expect(chart.drawn, chart.id).toBe(true);
      expect(chart.marks, chart.id).toBeGreaterThan(20);
    }
    expect(problems).toEqual([]);
    expect(aborted).toEqual([]);
    expect(await page.title()).toBe('partnersim: gm-2017');
    expect(await page.locator('#summary table tbody tr').count()).toBe(KEY_MEASURES.length); // a row per key measure
    await page.close();
  }, 60_000);

  it('fits a 1024 px window: no sideways scrolling, every chart drawn at its own size', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
    const layout = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      charts: Array.from(document.querySelectorAll('.vis')).map((el) => {
        const svg = el.querySelector('svg');
        return { id: el.id, scroll: el.scrollWidth, client: el.clientWidth, natural: Number(svg?.getAttribute('width')), shown: svg?.getBoundingClientRect().width ?? 0 };
      }),
    }));
    expect(layout.page).toBeLessThanOrEqual(1024);
    for (const chart of layout.charts) {
      expect(chart.scroll, chart.id).toBeLessThanOrEqual(chart.client); // no scroll bar inside a chart either
      // Drawn at its natural size (not shrunk by CSS, which would shrink the text below projector size).
      expect(chart.natural, chart.id).toBeLessThanOrEqual(chart.client);
      expect(Math.abs(chart.shown - chart.natural), chart.id).toBeLessThan(1.5);
    }
    await page.close();
  }, 60_000);
});

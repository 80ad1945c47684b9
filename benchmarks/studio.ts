/**
 * Studio benchmark: rounds per second the studio animates in headless Chromium with every view
 * updating (issue #11's target: gm-2017, 20 replicates, at least 30 rounds a second), the views
 * redrawing at most every 100 ms. Builds the
 * site, opens it from file://, plays at full speed and times the run from the first round to the
 * last; reports the median of three runs and how often the views redrew. Run with `npm run bench`
 * (after the engine benchmarks) or `npm run build && node dist/benchmarks/studio.js`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildStudio } from '../scripts/studio.ts';

const CHROMIUM = '/usr/bin/chromium';
const REPLICATES = Number(process.env.STUDIO_BENCH_REPLICATES ?? 20);
const RUNS = 3;
/** gm-2017 run for 50 years instead of 10, so each timed run lasts seconds and the redraw rate means something. */
const ROUNDS = 600;

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`studio: skipped (${CHROMIUM} not found; apt-get install -y chromium)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-studio-bench-'));
  const { bytes } = await buildStudio(join(dir, 'site'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${pathToFileURL(join(dir, 'site', 'index.html')).href}#scenario=gm-2017&seed=1&replicates=${REPLICATES}&a=${encodeURIComponent(JSON.stringify({ regime: '', set: { rounds: ROUNDS }, interventions: [] }))}`);
    await page.waitForSelector('body[data-ready]');
    await page.evaluate(() => {
      const speed = document.getElementById('speed') as HTMLInputElement;
      speed.value = speed.max; // as fast as it goes
      speed.dispatchEvent(new Event('input'));
    });
    const rates: number[] = [];
    let redraws = 0;
    let drawMedian = NaN;
    for (let run = 0; run < RUNS; run++) {
      const ready = await page.evaluate(() => Number(document.body.dataset.ready));
      await page.keyboard.press('r');
      await page.waitForFunction((n) => Number(document.body.dataset.ready) > n, ready);
      const result = await page.evaluate(() => new Promise<{ rounds: number; ms: number; renders: number; drawMs: number[] }>((done) => {
        const drawMs: number[] = [];
        const renders0 = Number(document.body.dataset.renders);
        const started = performance.now();
        const observer = new MutationObserver((changes) => {
          if (changes.some((c) => c.attributeName === 'data-draw-ms')) drawMs.push(Number(document.body.dataset.drawMs));
          if (document.body.dataset.playing === 'false' && Number(document.body.dataset.round) > 0) {
            observer.disconnect();
            done({ rounds: Number(document.body.dataset.round), ms: performance.now() - started, renders: Number(document.body.dataset.renders) - renders0, drawMs });
          }
        });
        observer.observe(document.body, { attributes: true });
        document.getElementById('play')!.click();
      }));
      rates.push((result.rounds / result.ms) * 1000);
      redraws = (result.renders / result.ms) * 1000;
      const sorted = [...result.drawMs].sort((a, b) => a - b);
      drawMedian = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    }
    rates.sort((a, b) => a - b);
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    console.log(`studio: gm-2017, ${REPLICATES} replicates, headless Chromium, every view updating: ` +
      `${rates[1].toFixed(0)} rounds/s (median of ${RUNS}; ${rates.map((r) => r.toFixed(0)).join(', ')}), ` +
      `views redrawn ${redraws.toFixed(1)} times a second taking ${drawMedian.toFixed(0)} ms each (median, last run), ${ROUNDS} rounds a run; bundle: page ${kb(bytes.page)}, model worker ${kb(bytes.worker)} minified`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

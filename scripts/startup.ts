/**
 * Start-up figures (docs/PERFORMANCE.md, "Start-up"): how long a sweep worker thread takes to
 * load the model, and the wall time of a few `partnersim` commands as a user runs them (a new
 * process each time). With `--against DIR` (another build's dist/ folder, e.g. one of main) the
 * two builds are timed in turn, A B A B …, so a change in the machine's load hits both alike;
 * medians are printed.
 *   node dist/scripts/startup.js [--reps N] [--against ../main/dist] [--no-sweep]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reps = Number(option('--reps') ?? 5);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builds = [{ name: 'this build', dist: here }];
if (option('--against')) builds.unshift({ name: `against ${option('--against')}`, dist: resolve(option('--against')!) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds from `new Worker` to the worker's ready message (the model loaded). */
function workerStartup(dist: string): Promise<number> {
  const t0 = performance.now();
  const worker = new Worker(pathToFileURL(join(dist, 'src', 'experiments', 'worker.js')));
  return new Promise((done, fail) => {
    worker.once('message', () => {
      const ms = performance.now() - t0;
      void worker.terminate().then(() => done(ms));
    });
    worker.once('error', fail);
  });
}

/** Wall-clock milliseconds of `node <dist>/src/cli/main.js ...argv` in a fresh process. */
function wall(dist: string, argv: string[], cwd: string): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(dist, 'src', 'cli', 'main.js'), ...argv], { cwd, stdio: 'ignore' });
  return performance.now() - t0;
}

const sweep = (workers: number) => ['sweep', 'gm-2017', '--param', 'regime.accountability=0:1:10', '--replicates', '100',
  '--workers', String(workers), '--out', 'sweep', '--quiet'];
const measures: { name: string; run(dist: string, cwd: string): Promise<number> | number }[] = [
  { name: 'worker start-up (new Worker to ready)', run: (dist) => workerStartup(dist) },
  { name: 'partnersim --help', run: (dist, cwd) => wall(dist, ['--help'], cwd) },
  { name: 'partnersim run gm-2017 --replicates 1 --no-charts', run: (dist, cwd) => wall(dist, ['run', 'gm-2017', '--replicates', '1', '--no-charts', '--quiet'], cwd) },
];
if (!args.includes('--no-sweep')) {
  measures.push({ name: 'partnersim sweep, 1,000 gm-2017 runs, --workers 1', run: (dist, cwd) => wall(dist, sweep(1), cwd) });
  measures.push({ name: 'partnersim sweep, 1,000 gm-2017 runs, --workers 2', run: (dist, cwd) => wall(dist, sweep(2), cwd) });
}

const times = new Map<string, number[]>();
const loadBefore = loadavg()[0];
for (let k = 0; k < reps; k++) {
  for (const measure of measures) {
    for (const build of builds) {
      const cwd = mkdtempSync(join(tmpdir(), 'partnersim-startup-'));
      const key = `${build.name}\u0000${measure.name}`;
      times.set(key, [...(times.get(key) ?? []), await measure.run(build.dist, cwd)]);
      rmSync(cwd, { recursive: true, force: true });
    }
  }
}
console.log(`start-up, node ${process.version}; medians of ${reps}; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
for (const build of builds) {
  console.log(`${build.name} (${build.dist}):`);
  for (const measure of measures) console.log(`  ${measure.name}: ${median(times.get(`${build.name}\u0000${measure.name}`)!).toFixed(0)} ms`);
  const one = times.get(`${build.name}\u0000${measures[3]?.name}`);
  const two = times.get(`${build.name}\u0000${measures[4]?.name}`);
  if (one && two) console.log(`  sweep speed-up, 2 workers over 1 (median of the pairs): ${median(one.map((t, i) => t / two[i])).toFixed(2)}x`);
}

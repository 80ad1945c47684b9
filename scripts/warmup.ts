/**
 * A fresh isolate's warm-up (issue #15, cold start): runs N gm-2017 replicates in a new process,
 * as a fresh sweep worker would, and prints the process's CPU time and how often V8
 * deoptimised (from `--trace-deopt`), with the functions deoptimised and why. With `--against
 * DIR` (another build's dist/ folder, e.g. one of main) the two builds run in turn, A B A B …,
 * so a change in the machine's load hits both alike; medians are printed.
 *   node dist/scripts/warmup.js [--runs 200] [--reps 3] [--against /path/to/other/dist] [--list] [--like-sweep]
 * One measured process by hand (e.g. with other V8 trace flags), `--mark` printing a line after each run:
 *   node --trace-deopt dist/scripts/warmup.js --child dist [--runs 200] [--mark] [--segments 25] [--like-sweep]
 * (`--segments K`: the process's CPU per run over each K runs, the warm-up curve.)
 * With `--sweep`, the bench's cold sweep instead (1,000 gm-2017 runs on 2 workers, main thread
 * warmed, one fresh worker thread), by CPU time, which a loaded machine disturbs far less than
 * wall time: the process's CPU for the cold sweep against the same runs on the warmed main thread.
 *   node dist/scripts/warmup.js --sweep [--reps 3] [--against /path/to/other/dist]
 * `--worker-child DIST --runs N` runs N sweep runs on one fresh worker thread only, as the pool
 * feeds it (batches of 2, 4, 8 … runs), e.g. under `--trace-deopt`; it prints the process's CPU.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (!isMainThread) await child(workerData.dist, workerData.runs);
else if (option('--in-worker')) await inWorker(option('--in-worker')!, Number(option('--runs') ?? 200));
else if (option('--child')) await child(option('--child')!, Number(option('--runs') ?? 200));
else if (option('--sweep-child')) await sweepChild(option('--sweep-child')!);
else if (option('--worker-child')) await workerChild(option('--worker-child')!, Number(option('--runs') ?? 400));
else if (args.includes('--sweep')) sweepParent();
else parent();

/** The measured process: N fresh replicates, then its CPU time on the last line. */
async function child(dist: string, runs: number): Promise<void> {
  const { runReplicate } = await import(pathToFileURL(join(dist, 'src', 'model', 'engine.js')).href);
  const { builtInScenario } = await import(pathToFileURL(join(dist, 'src', 'scenarios', 'index.js')).href);
  const scenario = builtInScenario('gm-2017');
  const t0 = process.cpuUsage();
  const thread0 = mainThreadCpu();
  const mark = args.includes('--mark');
  const segment = Number(option('--segments') ?? 0);
  // `--like-sweep`: as a sweep worker runs them, without the system-only recording, and with a
  // scenario cloned for each batch (batches of 2, 4, 8 … 32 runs), as a worker receives it.
  const likeSweep = args.includes('--like-sweep');
  let batchScenario = scenario;
  let batchEnd = 0;
  let batchSize = 2;
  let last = t0;
  for (let k = 0; k < runs; k++) {
    if (likeSweep && k === batchEnd) {
      batchScenario = structuredClone(scenario);
      batchEnd += batchSize;
      batchSize = Math.min(32, batchSize * 2);
    }
    runReplicate(batchScenario, { seed: 1, replicate: k, recordLocalities: !likeSweep });
    if (mark) console.log(`--- run ${k} done`);
    if (segment > 0 && (k + 1) % segment === 0) {
      const now = process.cpuUsage();
      console.log(`runs ${k + 1 - segment}-${k}: ${((now.user + now.system - last.user - last.system) / 1e3 / segment).toFixed(2)} ms CPU per run`);
      last = now;
    }
  }
  const used = process.cpuUsage(t0);
  console.log(`CPU ${(used.user + used.system) / 1e6} (this thread ${(mainThreadCpu() - thread0).toFixed(3)} s)`);
}

/** `child` on a worker thread of a fresh process (`--in-worker DIST`), with the same options. */
async function inWorker(dist: string, runs: number): Promise<void> {
  const t0 = process.cpuUsage();
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { dist, runs }, argv: args });
  await new Promise((done) => worker.once('exit', done));
  const used = process.cpuUsage(t0);
  console.log(`process CPU with the worker's start-up ${(used.user + used.system) / 1e6}`);
}

interface Measure { cpu: number; deopts: number; reasons: Map<string, number> }

function measure(dist: string, runs: number): Measure {
  const out = execFileSync(process.execPath, ['--trace-deopt', fileURLToPath(import.meta.url), '--child', dist, '--runs', String(runs), ...(args.includes('--like-sweep') ? ['--like-sweep'] : [])], {
    encoding: 'utf8', maxBuffer: 1 << 28,
  });
  const reasons = new Map<string, number>();
  let deopts = 0;
  for (const line of out.split('\n')) {
    // e.g. [bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x… <JSFunction initialise (sfi = …)>, …
    // and, for code thrown away when an assumption it relied on broke (a lazy deoptimisation):
    // [marking dependent code 0x… <Code TURBOFAN> (0x… <SharedFunctionInfo decide>) (opt id 6) for deoptimization, reason: code dependencies]
    const eager = /\[bailout \(kind: ([^,]+), reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ([^(>]*)/.exec(line);
    const lazy = eager ? null : /\[marking dependent code .*<SharedFunctionInfo ([^>]*)>\).* for deoptimization, reason: ([^\]]*)\]/.exec(line);
    if (!eager && !lazy) continue;
    const [fn, reason, kind] = eager ? [eager[3], eager[2], eager[1]] : [lazy![1], lazy![2], 'lazy'];
    deopts++;
    const key = `${fn.trim() || '(anonymous)'}: ${reason} (${kind})`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const cpu = Number(/CPU ([\d.]+)/.exec(out)?.[1]);
  return { cpu, deopts, reasons };
}

function parent(): void {
  const runs = Number(option('--runs') ?? 200);
  const reps = Number(option('--reps') ?? 3);
  const builds = [{ name: 'this build', dist: here, results: [] as Measure[] }];
  if (option('--against')) builds.unshift({ name: `against ${option('--against')}`, dist: resolve(option('--against')!), results: [] });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${runs} fresh gm-2017 runs per process, ${reps} processes per build; load ${loadavg()[0].toFixed(2)}`);
  for (let r = 0; r < reps; r++) for (const build of builds) build.results.push(measure(build.dist, runs));
  for (const build of builds) {
    const cpus = build.results.map((m) => m.cpu);
    const deopts = build.results.map((m) => m.deopts);
    console.log(`${build.name}: CPU median ${median(cpus).toFixed(3)} s [${cpus.map((x) => x.toFixed(3)).join(', ')}], deopts median ${median(deopts)} [${deopts.join(', ')}]`);
    if (args.includes('--list')) {
      for (const [key, count] of [...build.results[0].reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${count} × ${key}`);
    }
  }
  console.log(`load at the end ${loadavg()[0].toFixed(2)}`);
}

/** The bench's cold sweep in a fresh process: warm the main thread, time 400 runs on it, then 1,000 on 2 workers. */
async function sweepChild(dist: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(dist, 'src', ...path.split('/'))).href);
  const { buildPlan } = await load('experiments/plan.js');
  const { executeRuns } = await load('experiments/pool.js');
  const { builtInScenario } = await load('scenarios/index.js');
  const plan = buildPlan({
    kind: 'sweep', scenarioRef: 'gm-2017', base: builtInScenario('gm-2017'), sets: [], seed: '1', replicates: 2000,
    localities: false, paths: [], regimeFactor: false, points: [{ assignments: [] }], design: { type: 'grid' },
  });
  const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
  const onRecord = () => {};
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  await executeRuns({ plan, runs: range(0, 600), workers: 1, onRecord });
  let c0 = cpu();
  let t0 = performance.now();
  await executeRuns({ plan, runs: range(600, 400), workers: 1, onRecord });
  const warmCpu = (cpu() - c0) / 400;
  const warmWall = (performance.now() - t0) / 1000 / 400;
  c0 = cpu();
  const m0 = mainThreadCpu();
  t0 = performance.now();
  const share = await executeRuns({ plan, runs: range(1000, 1000), workers: 2, onRecord });
  const coldCpu = cpu() - c0;
  const coldWall = (performance.now() - t0) / 1000;
  const main = mainThreadCpu() - m0;
  console.log(`SWEEP ${warmCpu} ${warmWall} ${coldCpu} ${coldWall}`);
  console.log(`main thread: ${share.mainThread} runs, ${main.toFixed(3)} s CPU (${(main / share.mainThread * 1e3).toFixed(2)} ms per run); ` +
    `the rest of the process (worker and V8's threads): ${share.workerThreads} runs, ${(coldCpu - main).toFixed(3)} s CPU`);
}

/** CPU seconds of the calling thread so far (Linux: /proc/thread-self/schedstat, first field in ns). */
function mainThreadCpu(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
}

function sweepParent(): void {
  const reps = Number(option('--reps') ?? 3);
  const builds = [{ name: 'this build', dist: here, results: [] as number[][] }];
  if (option('--against')) builds.unshift({ name: `against ${option('--against')}`, dist: resolve(option('--against')!), results: [] });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`cold sweep of 1,000 gm-2017 runs on 2 workers, ${reps} processes per build; load ${loadavg()[0].toFixed(2)}`);
  for (let r = 0; r < reps; r++) {
    for (const build of builds) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--sweep-child', build.dist], { encoding: 'utf8' });
      build.results.push(/SWEEP (\S+) (\S+) (\S+) (\S+)/.exec(out)!.slice(1).map(Number));
      if (args.includes('--list')) console.log(`  ${build.name}: ${/main thread: .*/.exec(out)![0]}`);
    }
  }
  for (const build of builds) {
    const [warmCpu, warmWall, coldCpu, coldWall] = [0, 1, 2, 3].map((k) => build.results.map((x) => x[k]));
    // On 2 cores the sweep takes at least half its CPU time: the best ratio the CPU allows.
    const bound = build.results.map(([w, , c]) => (1000 * w) / (c / 2));
    const wallRatio = build.results.map(([, w, , c]) => (1000 * w) / c);
    const f = (xs: number[], d = 3) => `${median(xs).toFixed(d)} [${xs.map((x) => x.toFixed(d)).join(', ')}]`;
    console.log(`${build.name}: warmed ${f(warmCpu.map((x) => x * 1e3), 2)} ms CPU per run; cold sweep CPU ${f(coldCpu)} s, ` +
      `wall ${f(coldWall)} s; CPU bound on 2 cores ${f(bound, 2)}x; wall ratio ${f(wallRatio, 2)}x`);
  }
  console.log(`load at the end ${loadavg()[0].toFixed(2)}`);
}

/** N runs of the bench's sweep on one fresh worker thread alone (the main thread only feeds it). */
async function workerChild(dist: string, runs: number): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(dist, 'src', ...path.split('/'))).href);
  const { buildPlan } = await load('experiments/plan.js');
  const { WorkerPool } = await load('experiments/pool.js');
  const { builtInScenario } = await load('scenarios/index.js');
  const plan = buildPlan({
    kind: 'sweep', scenarioRef: 'gm-2017', base: builtInScenario('gm-2017'), sets: [], seed: '1', replicates: runs,
    localities: false, paths: [], regimeFactor: false, points: [{ assignments: [] }], design: { type: 'grid' },
  });
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpu();
  const pool = new WorkerPool(1);
  await pool.ready();
  await pool.execute({ plan, runs: Array.from({ length: runs }, (_, k) => k), onRecord: () => {}, inline: false });
  await pool.close();
  const used = process.cpuUsage(c0);
  const main = mainThreadCpu() - m0;
  console.log(`CPU ${(used.user + used.system) / 1e6} (main thread ${main.toFixed(3)} s)`);
}

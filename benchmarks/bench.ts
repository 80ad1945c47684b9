/**
 * `npm run bench`: speed figures for the engine, printed (never asserted in unit tests).
 *   - the default scenario (gm-2017: ten localities, 120 monthly rounds): ms per replicate,
 *     with and without observation;
 *   - synthetic systems of 10,000 and 200,000 leaders (~25 ties each, mostly within
 *     localities): set-up time, ms per round, ns per tie per round, leader-rounds per second,
 *     peak resident memory; beside two C references compiled with `cc` if there is one:
 *     benchmarks/round.c, the whole round (every phase of Simulation.step) run from the live
 *     state for the same rounds the engine is timed on: its ns per tie per round and per phase,
 *     the ratio engine whole round ÷ C whole round (issue #15's figure: like with like), and
 *     whether it ends in the engine's state byte for byte; and benchmarks/kernel.c, the trust
 *     pass alone: its ns per tie, the ratio of the engine's trust pass alone to it, whether it
 *     gave the same bytes, and (for continuity with earlier figures, not like with like) the
 *     engine's whole round ÷ the C trust pass;
 *   - sweep throughput: runs per second of gm-2017 (each run journalled as `partnersim sweep`
 *     does) with 1 worker (the main thread) and with all cores (the main thread and N − 1 worker
 *     threads), measured in turn, and the median of the pairs' ratios, in steady state; plus the
 *     worker start-up cost and the rate of a sweep from a cold start (the median of three
 *     sweeps, each with a fresh pool; one with --quick) ÷ the 1-worker rate.
 * Options: --quick (fewer repetitions), --json (machine-readable figures on stdout),
 * --sweep-runs N (runs per sweep figure, default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../src/io/journal.ts';
import { buildPlan, type SweepPlan } from '../src/experiments/plan.ts';
import { executeRuns, WorkerPool } from '../src/experiments/pool.ts';
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';
import {
  compareRound, compileKernel, enginePasses, KERNEL_FLAGS, type KernelRun, passArrays, type RoundComparison, type RoundRun,
  runKernel, runRound, sameBytes, trustSum, writeKernelInput, writeRoundInput,
} from './kernel.ts';

const argv = process.argv.slice(2);
const args = new Set(argv);
const quick = args.has('--quick');
const asJson = args.has('--json');
const figures: Record<string, number> = {};
let peakRss = 0;
const sampleMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const log = (line: string) => {
  if (!asJson) console.log(line);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function benchDefault(): void {
  const scenario = builtInScenario('gm-2017');
  const reps = quick ? 20 : 100;
  // The steady state a sweep or a calibration runs in (thousands of replicates): V8 is still
  // optimising the model for the first hundred or so replicates (the median over replicates
  // 11-110, after the 10 warm-ups this figure once had, was 3-11% above that over 301-600 in five
  // processes, one 46%: issue #15). The cold start has its own figure below (the sweep from a
  // cold start). Every replicate is a fresh one (its streams seeded afresh).
  const warmUp = quick ? 50 : 300;
  for (let k = 0; k < warmUp; k++) runReplicate(scenario, { seed: 1, replicate: 100_000 + k });
  // With and without observation in turn, so a drift in the machine's speed hits both alike.
  const times: number[] = [];
  const stepOnly: number[] = [];
  for (let k = 0; k < reps; k++) {
    let t0 = performance.now();
    runReplicate(scenario, { seed: 1, replicate: 2 * k });
    times.push(performance.now() - t0);
    t0 = performance.now();
    const sim = new Simulation(scenario, 1, 2 * k + 1);
    for (let r = 0; r < scenario.rounds; r++) sim.step();
    sim.finish(); // as runReplicate does: the next simulation reuses its kernel
    stepOnly.push(performance.now() - t0);
  }
  figures.defaultMsPerReplicate = median(times);
  figures.defaultMsPerReplicateWithoutObservation = median(stepOnly);
  figures.observationShare = 1 - figures.defaultMsPerReplicateWithoutObservation / figures.defaultMsPerReplicate;
  sampleMemory();
  log(`gm-2017 (10 localities, ${scenario.rounds} rounds): ${figures.defaultMsPerReplicate.toFixed(2)} ms per replicate ` +
    `(median of ${reps} after ${warmUp} warm-up replicates; ${figures.defaultMsPerReplicateWithoutObservation.toFixed(2)} ms without observation: observation ${(100 * figures.observationShare).toFixed(0)}% of a replicate)`);
}

/** The C references (trust pass, whole round), compiled once (or why they are skipped). */
let kernel: { path: string } | { skipped: string } | undefined;
let roundKernel: { path: string } | { skipped: string } | undefined;
const kernelDir = mkdtempSync(join(tmpdir(), 'partnersim-kernel-'));
process.on('exit', () => rmSync(kernelDir, { recursive: true, force: true }));

function benchSynthetic(leaders: number, rounds: number): void {
  const t0 = performance.now();
  const scenario = syntheticSystem({ leaders });
  const sim = new Simulation(scenario, 1, 0);
  const setup = performance.now() - t0;
  const ties = sim.state.ties.target.length;
  sampleMemory();
  for (let r = 0; r < 10; r++) sim.step(); // warm-up: the first rounds include compilation
  // The trust pass's inputs as they stand after the warm-up: the engine's trust pass alone and
  // the C kernel both start from these, so they do the same work on the same numbers.
  kernel ??= compileKernel(kernelDir);
  const snapshot = passArrays(sim.state).map((a) => a.slice());
  const input = join(kernelDir, `input-${leaders}.bin`);
  const output = join(kernelDir, `output-${leaders}.bin`);
  if ('path' in kernel) writeKernelInput(input, sim.state, sim.context);
  const order = Int32Array.from({ length: leaders }, (_, i) => i);
  const passes = leaders >= 100_000 ? 10 : 30; // trust passes per block, engine and C alike
  // Blocks in turn (whole rounds, the engine's trust pass alone, the C trust pass, the C whole
  // round), so a drift in the machine's speed hits all four alike.
  const blocks = quick ? 2 : 4;
  const perBlock = Math.ceil(rounds / blocks);
  // The C round runs, in every block, all the rounds the engine is timed on (from the state the
  // first block starts from), so after the last block the live state is what it should end in.
  roundKernel ??= compileKernel(kernelDir, 'round');
  const roundRounds = blocks * perBlock;
  const roundInput = join(kernelDir, `round-input-${leaders}.bin`);
  const roundOutput = join(kernelDir, `round-output-${leaders}.bin`);
  let roundSkipped = 'path' in roundKernel ? undefined : roundKernel.skipped;
  if (!roundSkipped) writeRoundInput(roundInput, sim, roundRounds);
  const perRound: number[] = [];
  const perPass: number[] = [];
  const cMedians: number[] = [];
  const roundRuns: RoundRun[] = [];
  let engineOut: Float64Array[] = [];
  let cRun: KernelRun | undefined;
  for (let b = 0; b < blocks; b++) {
    for (let r = 0; r < perBlock; r++) {
      const t1 = performance.now();
      sim.step();
      perRound.push(performance.now() - t1);
      if (r % 5 === 0) sampleMemory();
    }
    const engine = enginePasses(sim, snapshot, passes);
    perPass.push(...engine.ms);
    engineOut = engine.outputs;
    if ('path' in kernel) {
      cRun = runKernel(kernel.path, input, output, passes, sim.state);
      cMedians.push(cRun.nsPerTieMedian);
    }
    if (!roundSkipped && 'path' in roundKernel) {
      try {
        roundRuns.push(runRound(roundKernel.path, roundInput, roundOutput, roundRounds));
      } catch (error) {
        roundSkipped = (error as Error).message; // round.c refused the input or failed: said, not hidden
      }
    }
  }
  const ms = median(perRound);
  const key = `synthetic${leaders}`;
  figures[`${key}SetupMs`] = setup;
  figures[`${key}MsPerRound`] = ms;
  figures[`${key}NsPerTieRound`] = (ms * 1e6) / ties;
  figures[`${key}LeaderRoundsPerSecond`] = leaders / (ms / 1000);
  figures[`${key}Ties`] = ties;
  log(`synthetic ${leaders.toLocaleString('en-GB')} leaders, ${ties.toLocaleString('en-GB')} ties (${(ties / leaders).toFixed(1)}/leader): ` +
    `set-up ${setup.toFixed(0)} ms; ${ms.toFixed(2)} ms per round (median of ${perRound.length}; trust pass on ${sim.trustPassKind}); ` +
    `${figures[`${key}NsPerTieRound`].toFixed(1)} ns per tie per round; ` +
    `${(figures[`${key}LeaderRoundsPerSecond`] / 1e6).toFixed(2)} M leader-rounds/s`);

  const size = leaders >= 1000 ? `${leaders / 1000}k` : String(leaders);
  const whole = figures[`${key}NsPerTieRound`];
  const pass = (median(perPass) * 1e6) / ties;
  figures[`trustPassNsPerTie${size}`] = pass;
  if (roundSkipped || roundRuns.length === 0) {
    log(`  C reference round skipped: ${roundSkipped ?? 'not run'}`);
  } else {
    reportRound(size, whole, roundRuns, compareRound(roundOutput, sim.state)); // the last run's output
  }
  if (!('path' in kernel) || !cRun) {
    log(`  C reference kernel skipped: ${'skipped' in kernel ? kernel.skipped : 'not run'}; ` +
      `engine trust pass alone ${pass.toFixed(2)} ns per tie`);
    return;
  }
  const c = median(cMedians);
  const same = sameBytes(engineOut, cRun.outputs) && trustSum(engineOut[0]) === cRun.trustSum;
  figures[`cKernelNsPerTie${size}`] = c;
  figures[`ratioToC${size}`] = whole / c;
  figures[`trustPassRatioToC${size}`] = pass / c;
  figures[`cKernelSameResult${size}`] = same ? 1 : 0;
  log(`  C trust pass (benchmarks/kernel.c, the trust pass alone, same ties and inputs): ${c.toFixed(2)} ns per tie per pass ` +
    `(median of ${blocks} runs of ${passes} passes); engine trust pass alone ${pass.toFixed(2)} ns/tie ÷ C trust pass = ${(pass / c).toFixed(2)}x`);
  log(`  same result after ${passes} passes (trust, expectations, means, locality minima, byte for byte): ${same ? 'yes' : 'NO'} ` +
    `(Σ trust ${cRun.trustSum})`);
  log(`  for continuity only (not like with like: a whole round over one phase): engine whole round ${whole.toFixed(2)} ns/tie ÷ C trust pass = ${(whole / c).toFixed(2)}x`);
}

/** The C whole round's figures: ns per tie (whole and per phase), the ratio to it, and whether the states agree. */
function reportRound(size: string, whole: number, runs: RoundRun[], comparison: RoundComparison): void {
  const c = median(runs.flatMap((r) => r.nsPerTie)); // every round of every run, as the engine's median is over its rounds
  const phaseNames = Object.keys(runs[0].phases);
  const phase = (name: string) => median(runs.map((r) => r.phases[name]));
  figures[`cRoundNsPerTie${size}`] = c;
  figures[`ratioToCRound${size}`] = whole / c;
  figures[`cRoundSameResult${size}`] = comparison.same ? 1 : 0;
  figures[`cRoundMaxRelativeDifference${size}`] = comparison.maxRelativeDifference;
  for (const name of phaseNames) figures[`cRoundPhase${name[0].toUpperCase()}${name.slice(1)}NsPerTie${size}`] = phase(name);
  log(`  C reference round (benchmarks/round.c: every phase of Simulation.step in C, \`cc ${KERNEL_FLAGS.join(' ')}\`, ` +
    `V8's exp/log/pow ported, from the engine's state after the warm-up): ${c.toFixed(2)} ns per tie per round ` +
    `(median of ${runs.length} runs × ${runs[0].rounds} rounds)`);
  log(`    C phases, ns per tie per round (medians): ${phaseNames.map((n) => `${n} ${phase(n).toFixed(2)}`).join(', ')}`);
  log(`  ratio to C (issue #15's figure, like with like): engine whole round ${whole.toFixed(2)} ns/tie ÷ C whole round ${c.toFixed(2)} ns/tie = ` +
    `${(whole / c).toFixed(2)}x`);
  log(`  same state after the ${runs[0].rounds} rounds (all ${comparison.compared} state arrays and scalars, byte for byte): ` +
    (comparison.same ? 'yes' : `NO: ${comparison.differing.slice(0, 5).join(', ')}${comparison.differing.length > 5 ? ', …' : ''}; ` +
      `largest relative difference ${comparison.maxRelativeDifference.toExponential(2)}`));
}

/** A sweep of `runs` replicates of gm-2017 (one design point), as `partnersim sweep` plans it. */
function sweepPlan(runs: number): SweepPlan {
  return buildPlan({
    kind: 'sweep', scenarioRef: 'gm-2017', base: builtInScenario('gm-2017'), sets: [], seed: '1', replicates: runs,
    localities: false, paths: [], regimeFactor: false, points: [{ assignments: [] }], design: { type: 'grid' },
  });
}

/** Runs per second for `runs` runs with `workers` (1 = main thread), journalling every run. */
async function sweepRate(plan: SweepPlan, runs: number[], workers: number, pool?: WorkerPool): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-bench-'));
  const journal = Journal.open(join(dir, 'journal.bin'), true, { fingerprint: plan.fingerprint });
  const onRecord = (record: Uint8Array) => journal.append(record);
  const t0 = performance.now();
  if (pool) await pool.execute({ plan, runs, onRecord, inline: true });
  else await executeRuns({ plan, runs, workers, onRecord });
  const seconds = (performance.now() - t0) / 1000;
  journal.close();
  rmSync(dir, { recursive: true, force: true });
  return runs.length / seconds;
}

async function benchSweep(): Promise<void> {
  const at = argv.indexOf('--sweep-runs');
  const n = at >= 0 ? Number(argv[at + 1]) : quick ? 100 : 200;
  const cores = availableParallelism();
  // Worker threads compile the model afresh: about 150 runs each before V8 has optimised it.
  const warm = 300 * Math.max(1, cores - 1);
  const reps = quick ? 3 : 5;
  const colds = quick ? 1 : 3; // cold sweeps, each with a fresh pool
  const plan = sweepPlan((2 * reps + 5 * colds) * n + 20 + warm);
  const slice = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
  let next = 0;
  const take = (count: number) => slice((next += count) - count, count);
  await sweepRate(plan, take(20), 1); // warm-up (the main thread already ran the model above)
  const t0 = performance.now();
  const pool = new WorkerPool(cores - 1); // --workers N: the main thread and N − 1 worker threads
  await pool.ready();
  const startup = performance.now() - t0;
  await pool.execute({ plan, runs: take(warm), onRecord: () => {}, inline: false }); // warm the worker threads
  // 1 worker and all workers in turn, so a drift in the machine's speed hits both alike; the
  // ratio is the median of the pairs' ratios.
  const ones: number[] = [];
  const alls: number[] = [];
  const ratios: number[] = [];
  for (let k = 0; k < reps; k++) {
    ones.push(await sweepRate(plan, take(n), 1));
    alls.push(await sweepRate(plan, take(n), cores, pool));
    ratios.push(alls[k] / ones[k]);
  }
  await pool.close();
  const one = median(ones);
  const all = median(alls);
  const ratio = median(ratios);
  // A fresh pool each time (a new worker thread: V8 compiles the model afresh), every run
  // journalled, as `partnersim sweep` runs them (and as `one` was measured); the median of three,
  // as one cold sweep on two shared cores varies by several per cent.
  const coldRates: number[] = [];
  for (let k = 0; k < colds; k++) coldRates.push(await sweepRate(plan, take(5 * n), cores));
  const cold = median(coldRates);
  figures.sweepRunsPerSecond1Worker = one;
  figures.sweepRunsPerSecondAllWorkers = all;
  figures.sweepWorkers = cores;
  figures.sweepSpeedup = ratio;
  figures.sweepWorkerStartupMs = startup;
  figures.sweepRunsPerSecondAllWorkersColdStart = cold;
  figures.sweepColdStartSpeedup = cold / one; // issue #15's cold-start figure
  sampleMemory();
  log(`sweep throughput, gm-2017 (${n} runs each, every run journalled; ${reps} pairs, medians): 1 worker ${one.toFixed(0)} runs/s; ` +
    `${cores} workers ${all.toFixed(0)} runs/s; ratio ${ratio.toFixed(2)}x (median of the pairs' ratios ` +
    `${ratios.map((r) => r.toFixed(2)).join(', ')}; steady state: threads warmed up)`);
  log(`  worker-thread start-up ${startup.toFixed(0)} ms (loading the model); ${5 * n} runs on ${cores} workers from a cold start ` +
    `(as \`partnersim sweep\` runs them: start-up and warm-up included): ${cold.toFixed(0)} runs/s (${(cold / one).toFixed(2)}x` +
    (colds > 1 ? `; median of ${colds} sweeps, each with a fresh worker: ${coldRates.map((r) => (r / one).toFixed(2)).join(', ')}x)` : ')'));
}

log(`partnersim benchmark — node ${process.version}, ${process.arch}`);
benchDefault();
benchSynthetic(10_000, quick ? 20 : 100);
benchSynthetic(200_000, quick ? 5 : 20);
await benchSweep();
figures.peakRssMiB = peakRss / 2 ** 20;
log(`peak resident memory: ${figures.peakRssMiB.toFixed(0)} MiB`);
if (asJson) console.log(JSON.stringify(figures, null, 2));

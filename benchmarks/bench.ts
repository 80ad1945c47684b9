/**
 * `npm run bench`: speed figures for the engine, printed (never asserted in unit tests).
 *   - the default scenario (gm-2017: ten localities, 120 monthly rounds): ms per replicate,
 *     with and without observation;
 *   - synthetic systems of 10,000 and 200,000 leaders (~25 ties each, mostly within
 *     localities): set-up time, ms per round, ns per tie per round, leader-rounds per second,
 *     peak resident memory.
 * Options: --quick (fewer repetitions), --json (machine-readable figures on stdout).
 */
import { runReplicate, Simulation } from '../src/model/engine.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';

const args = new Set(process.argv.slice(2));
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
  for (let k = 0; k < 10; k++) runReplicate(scenario, { seed: 1, replicate: k }); // warm-up
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    runReplicate(scenario, { seed: 1, replicate: k });
    times.push(performance.now() - t0);
  }
  const stepOnly: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    const sim = new Simulation(scenario, 1, k);
    for (let r = 0; r < scenario.rounds; r++) sim.step();
    stepOnly.push(performance.now() - t0);
  }
  figures.defaultMsPerReplicate = median(times);
  figures.defaultMsPerReplicateWithoutObservation = median(stepOnly);
  sampleMemory();
  log(`gm-2017 (10 localities, ${scenario.rounds} rounds): ${figures.defaultMsPerReplicate.toFixed(2)} ms per replicate ` +
    `(median of ${reps}; ${figures.defaultMsPerReplicateWithoutObservation.toFixed(2)} ms without observation)`);
}

function benchSynthetic(leaders: number, rounds: number): void {
  const t0 = performance.now();
  const scenario = syntheticSystem({ leaders });
  const sim = new Simulation(scenario, 1, 0);
  const setup = performance.now() - t0;
  const ties = sim.state.ties.target.length;
  sampleMemory();
  for (let r = 0; r < 3; r++) sim.step(); // warm-up
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t1 = performance.now();
    sim.step();
    perRound.push(performance.now() - t1);
    if (r % 5 === 0) sampleMemory();
  }
  const ms = median(perRound);
  const key = `synthetic${leaders}`;
  figures[`${key}SetupMs`] = setup;
  figures[`${key}MsPerRound`] = ms;
  figures[`${key}NsPerTieRound`] = (ms * 1e6) / ties;
  figures[`${key}LeaderRoundsPerSecond`] = leaders / (ms / 1000);
  figures[`${key}Ties`] = ties;
  log(`synthetic ${leaders.toLocaleString('en-GB')} leaders, ${ties.toLocaleString('en-GB')} ties (${(ties / leaders).toFixed(1)}/leader): ` +
    `set-up ${setup.toFixed(0)} ms; ${ms.toFixed(2)} ms per round (median of ${rounds}); ` +
    `${figures[`${key}NsPerTieRound`].toFixed(1)} ns per tie per round; ` +
    `${(figures[`${key}LeaderRoundsPerSecond`] / 1e6).toFixed(2)} M leader-rounds/s`);
}

log(`partnersim benchmark — node ${process.version}, ${process.arch}`);
benchDefault();
benchSynthetic(10_000, quick ? 10 : 40);
benchSynthetic(200_000, quick ? 5 : 20);
figures.peakRssMiB = peakRss / 2 ** 20;
log(`peak resident memory: ${figures.peakRssMiB.toFixed(0)} MiB`);
if (asJson) console.log(JSON.stringify(figures, null, 2));

/**
 * `node dist/benchmarks/phases.js [--leaders N] [--rounds R]`: where a round of a synthetic system
 * goes, phase by phase, in ns per tie (a phase's time divided by the ties, so the figures add up
 * to the bench's "ns per tie per round"). The phases are the submodels that `Simulation.step`
 * calls, called here in the same order on the same state (keep the two in step); the medians are
 * over the rounds after a warm-up. Like `npm run bench`, it first runs gm-2017 replicates, so V8
 * has optimised the phases on that scenario's feedback before the synthetic system runs.
 */
import { Simulation, runReplicate } from '../src/model/engine.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { syntheticSystem } from '../src/scenarios/synthetic.ts';
import { aggregateDecisions, boardDecision } from '../src/model/submodels/board.ts';
import { decide } from '../src/model/submodels/decisions.ts';
import { environment } from '../src/model/submodels/environment.ts';
import { drawTurnover, localityLearning, replaceLeader, sanctions } from '../src/model/submodels/learning.ts';
import { organisationPerformance, partnershipOutcomes } from '../src/model/submodels/outcomes.ts';
import { regulation } from '../src/model/submodels/regulation.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const leaders = option('--leaders', 10_000);
const rounds = option('--rounds', 150);
const warmUp = 10;

const gm = builtInScenario('gm-2017');
for (let k = 0; k < 60; k++) runReplicate(gm, { seed: 1, replicate: 100_000 + k });

const sim = new Simulation(syntheticSystem({ leaders }), 1, 0);
const { state } = sim;
const order = Int32Array.from({ length: leaders }, (_, i) => i);
const replaced = new Uint8Array(leaders);
const nLoc = state.localities.name.length;
const ties = state.ties.target.length;

const phases: [string, () => void][] = [
  ['environment', () => environment(state, sim.context)],
  ['regulation', () => regulation(state, sim.context)],
  ['decisions', () => decide(state, sim.context, order)],
  ['locality sums', () => aggregateDecisions(state)],
  ['board', () => { for (let c = 0; c < nLoc; c++) boardDecision(state, sim.context, c); }],
  ['organisation performance', () => organisationPerformance(state, sim.context)],
  ['partnership outcomes', () => { for (let c = 0; c < nLoc; c++) partnershipOutcomes(state, sim.context, c); }],
  ['sanctions', () => sanctions(state, sim.context, order)],
  ['turnover draw', () => { any = drawTurnover(state, sim.context, order, replaced); }],
  ['turnover resets', () => { if (any) for (let i = 0; i < leaders; i++) if (replaced[i]) replaceLeader(state, i); }],
  ['trust pass', () => sim.runTrustPass()], // the engine's own: the WebAssembly kernel where available
  ['locality learning', () => { for (let c = 0; c < nLoc; c++) localityLearning(state, sim.context, c); }],
];
let any = false;
const times = phases.map((): number[] => []);
const whole: number[] = [];
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  let t0 = start;
  for (let p = 0; p < phases.length; p++) {
    phases[p][1]();
    const t1 = performance.now();
    if (r >= warmUp) times[p].push(t1 - t0);
    t0 = t1;
  }
  state.round++;
  if (r >= warmUp) whole.push(t0 - start);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perTie = (ms: number) => (ms * 1e6) / ties;
console.log(`synthetic ${leaders.toLocaleString('en-GB')} leaders, ${ties.toLocaleString('en-GB')} ties; medians of ${rounds - warmUp} rounds, ns per tie:`);
for (let p = 0; p < phases.length; p++) console.log(`  ${phases[p][0].padEnd(26)} ${perTie(median(times[p])).toFixed(3)}`);
console.log(`  ${'whole round'.padEnd(26)} ${perTie(median(whole)).toFixed(3)}`);

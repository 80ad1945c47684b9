/**
 * `npm run review`: re-measures the findings of the model review (issue #14) on the current
 * model, so each can be checked before and after a change: incentives reaching decisions, the
 * shape of budget pressure, trust following trustworthiness, outcomes that can fall, the time
 * step as a resolution, corner cases that once gave NaN, and the laboratory game per period.
 * Prints one line per figure, with the replicates used. Fixed seed; no files written.
 */
import { runReplicate, Simulation, type ReplicateResult } from '../src/model/engine.ts';
import { LEADER_TYPES } from '../src/agents/leader-types.ts';
import { measure } from '../src/model/results.ts';
import { withOverride } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

const SEED = 2026;
const args = process.argv.slice(2);
const repArg = args.indexOf('--replicates');
const REPLICATES = repArg >= 0 ? Number(args[repArg + 1]) : 24;

const set = (s: Scenario, pairs: [string, unknown][]) => pairs.reduce((acc, [p, v]) => withOverride(acc, p, v), s);
const runs = (s: Scenario, n = REPLICATES) => Array.from({ length: n }, (_, k) => runReplicate(s, { seed: SEED, replicate: k }));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const at = (r: ReplicateResult, m: string, t: number) => measure(r, m, 'system')[t];
const last = (r: ReplicateResult, m: string) => at(r, m, r.trajectories.rounds - 1);
const f = (x: number, d = 4) => x.toFixed(d);
const has = (m: string) => builtInScenario('gm-2017') && runReplicate(builtInScenario('gm-2017'), { rounds: 1 }).trajectories.measures.includes(m);

function line(label: string, value: string): void {
  console.log(`${label.padEnd(72)} ${value}`);
}

const gm = builtInScenario('gm-2017');
const fundTotal = 450;

console.log(`review findings, gm-2017 unless named; seed ${SEED}, ${REPLICATES} replicates per arm\n`);

// 1. Incentives.
{
  const collective = runs(gm);
  const none = runs(set(gm, [['funding.transformationFund.condition', 'none']]));
  const fundYears = (r: ReplicateResult, m: string) => { const x = measure(r, m, 'system'); let s = 0; for (let t = 0; t < 60; t++) s += x[t]; return s / 60; };
  line('1a pooled share in the fund years 1-5, fund condition collective / none',
    `${f(mean(collective.map((r) => fundYears(r, 'pooledShare'))))} / ${f(mean(none.map((r) => fundYears(r, 'pooledShare'))))}`);
  const noFund = runs(set(gm, [['funding.transformationFund.total', 0]]));
  line('1a\' pooled share in years 1-5 without any fund',
    f(mean(noFund.map((r) => fundYears(r, 'pooledShare')))));
  const productive = runs(set(gm, [['outcomes.baseEfficiency', gm.outcomes.baseEfficiency * 2], ['outcomes.scopeEfficiency', gm.outcomes.scopeEfficiency * 2], ['outcomes.scaleEfficiency', gm.outcomes.scaleEfficiency * 2]]));
  line('1b pooled share at year 10, pooled money as productive / twice as productive',
    `${f(mean(collective.map((r) => last(r, 'pooledShare'))))} / ${f(mean(productive.map((r) => last(r, 'pooledShare'))))}`);
  const decisions13 = (rs: ReplicateResult[]) => mean(rs.map((r) => {
    const d = measure(r, 'decisions', 'system');
    let s = 0;
    for (let t = 0; t < 36; t++) s += d[t];
    return s / 36 / 10;
  }));
  const big = runs(set(gm, [['funding.transformationFund.condition', 'none'], ['funding.transformationFund.total', fundTotal * 10]]));
  line('1c decisions per locality-round in years 1-3, fund unconditional x1 / x10',
    `${f(decisions13(none), 3)} / ${f(decisions13(big), 3)}`);
  const paid = mean(collective.map((r) => measure(r, 'transformationFunding', 'system').reduce((a, b) => a + b, 0)));
  line('1d transformation fund paid to localities over ten years (£m of £275m)', f(paid, 1));
}

// 2. Budget pressure.
{
  const shares = [-0.06, -0.02, 0, 0.01, 0.02, 0.05].map((g) =>
    mean(runs(set(gm, [['funding.budgetGrowth', g]])).map((r) => last(r, 'pooledShare'))));
  line('2  pooled share at year 10 for budget growth -6% -2% 0 +1% +2% +5%', shares.map((x) => f(x, 3)).join(' '));
}

// 3. Trust: lab game over 30 periods without punishment, and tie age vs trust in gm-2017.
{
  const lab = set(builtInScenario('public-goods-lab'), [['rounds', 30]]);
  const rs = runs(lab, 200);
  line('3a lab, 30 periods, no punishment: contribution period 1 -> 30',
    `${f(mean(rs.map((r) => at(r, 'pooledShare', 0))), 3)} -> ${f(mean(rs.map((r) => at(r, 'pooledShare', 29))), 3)}`);
  line('3b lab, 30 periods, no punishment: mean trust period 1 -> 30',
    `${f(mean(rs.map((r) => at(r, 'trustMean', 0))), 3)} -> ${f(mean(rs.map((r) => at(r, 'trustMean', 29))), 3)}`);
  // Whom the trust is in: ties towards free riders and towards conditional cooperators, at period 30.
  const code = (name: string) => LEADER_TYPES.find((t) => t.name === name)!.code;
  const towards: Record<string, number[]> = { freeRider: [], conditional: [] };
  for (let k = 0; k < 200; k++) {
    const sim = new Simulation(lab, SEED, k);
    for (let t = 0; t < 30; t++) sim.step();
    const { ties: T, leaders: L } = sim.state;
    for (let i = 0; i < L.id.length; i++) {
      for (let e = T.start[i]; e < T.withinEnd[i]; e++) {
        const type = L.type[T.target[e]];
        if (type === code('freeRider')) towards.freeRider.push(T.trust[e]);
        if (type === code('conditional')) towards.conditional.push(T.trust[e]);
      }
    }
  }
  line('3c lab, period 30: trust towards free riders / towards conditional cooperators',
    `${f(mean(towards.freeRider), 3)} / ${f(mean(towards.conditional), 3)}`);
  // Tie age against trust at year 10 in gm-2017 (Vanneste et al. 2014: weak on average).
  const ages: number[] = [];
  const trusts: number[] = [];
  for (let k = 0; k < 8; k++) {
    const sim = new Simulation(gm, SEED, k);
    for (let t = 0; t < gm.rounds; t++) sim.step();
    const { ties: T, leaders: L } = sim.state;
    for (let i = 0; i < L.id.length; i++) {
      for (let e = T.start[i]; e < T.withinEnd[i]; e++) {
        ages.push(Math.min(L.tenure[i], L.tenure[T.target[e]]));
        trusts.push(T.trust[e]);
      }
    }
  }
  const ma = mean(ages);
  const mt = mean(trusts);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let q = 0; q < ages.length; q++) {
    sab += (ages[q] - ma) * (trusts[q] - mt);
    saa += (ages[q] - ma) ** 2;
    sbb += (trusts[q] - mt) ** 2;
  }
  line('3d gm-2017, year 10: correlation of tie age (shorter tenure of the pair) with trust', f(sab / Math.sqrt(saa * sbb), 3));
}

// 4. Outcomes without pooling.
{
  const none = runs(set(gm, [['flexibilities.pooledBudgets.allowed', false]]));
  line('4a population outcome without pooling, year 1 / year 10',
    `${f(mean(none.map((r) => at(r, 'populationOutcome', 11))))} / ${f(mean(none.map((r) => last(r, 'populationOutcome'))))}`);
  const cut = runs(set(gm, [['flexibilities.pooledBudgets.allowed', false], ['funding.budgetGrowth', -0.03]]));
  line('4b population outcome without pooling and 3% annual cuts, year 10', f(mean(cut.map((r) => last(r, 'populationOutcome')))));
  if (has('lifeExpectancyGain')) {
    const withP = runs(gm);
    line('4c life expectancy gain at year 10 (years), gm-2017 / no pooling',
      `${f(mean(withP.map((r) => last(r, 'lifeExpectancyGain'))), 3)} / ${f(mean(none.map((r) => last(r, 'lifeExpectancyGain'))), 3)}`);
  }
}

// 5. Time step.
{
  const monthly = runs(gm);
  const quarterly = runs(set(gm, [['roundsPerYear', 4], ['rounds', 40]]));
  const gain = (rs: ReplicateResult[]) => mean(rs.map((r) => last(r, 'populationOutcome') - at(r, 'populationOutcome', 0)));
  line('5a ten-year outcome gain, monthly / quarterly rounds', `${f(gain(monthly))} / ${f(gain(quarterly))}`);
  line('5b mean stage at year 10, monthly / quarterly rounds',
    `${f(mean(monthly.map((r) => last(r, 'stage'))), 2)} / ${f(mean(quarterly.map((r) => last(r, 'stage'))), 2)}`);
}

// 6. NaN from valid input.
{
  const corner = set(gm, [['regime.mandated', true], ['regime.mandateFloor', 1], ['flexibilities.pooledBudgets.cap', 1]]);
  const r = runReplicate(corner, { seed: SEED });
  let bad = 0;
  for (const name of r.trajectories.measures) for (const x of r.trajectories.data[name]) if (!Number.isFinite(x)) bad++;
  line('6  non-finite values, mandate floor 1 and pooled-budget cap 1 (one replicate)', String(bad));
}

// 7. Lab per period.
{
  const lab = builtInScenario('public-goods-lab');
  const plain = runs(lab, 200);
  const punished = runs(set(lab, [['leaders.sanctions.enabled', true]]), 200);
  const series = (rs: ReplicateResult[]) => Array.from({ length: 10 }, (_, t) => f(mean(rs.map((r) => at(r, 'pooledShare', t))), 2)).join(' ');
  line('7a lab contributions per period, no punishment', series(plain));
  line('7b lab contributions per period, punishment', series(punished));
}

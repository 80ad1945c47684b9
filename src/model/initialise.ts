/**
 * Initialisation: turns a scenario, a seed and a replicate index into the state at round 0.
 * Localities are sorted by name and organisations by name inside their locality, and every
 * random draw comes from a stream keyed by the entity's name, so the order in which a scenario
 * lists its localities and organisations never changes a result.
 */
import { ORGANISATION_KINDS, ORGANISATION_KIND_NAMES } from '../agents/organisation-kinds.ts';
import { LEADER_TYPES } from '../agents/leader-types.ts';
import { buildNetwork } from './network.ts';
import { normal, pickWeighted, stream, StreamBank } from './rng.ts';
import { lowestTrustBeforeTies, priorExpectation } from './submodels/learning.ts';
import type { SimState } from './state.ts';
import type { LeaderAttributes, LocalitySpec, OrganisationSpec, Scenario } from './types.ts';

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

interface ResolvedOrganisation {
  name: string;
  spec: OrganisationSpec;
  annualBudget: number;
  leaders: number;
}

/** Gives every organisation its name (kind, numbered when a kind repeats) and its budget. */
export function resolveOrganisations(locality: LocalitySpec): ResolvedOrganisation[] {
  const counts = new Map<string, number>();
  for (const org of locality.organisations) counts.set(org.kind, (counts.get(org.kind) ?? 0) + 1);
  const seen = new Map<string, number>();
  // Number unnamed organisations of a repeated kind in a canonical order (by their content), so
  // listing them in another order gives each the same name and hence the same random streams.
  const canonical = locality.organisations
    .map((spec) => ({ spec, key: stableKey(spec) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ spec }) => spec);
  const named = canonical.map((spec) => {
    const index = (seen.get(spec.kind) ?? 0) + 1;
    seen.set(spec.kind, index);
    const name = spec.name ?? ((counts.get(spec.kind) ?? 0) > 1 ? `${spec.kind}-${index}` : spec.kind);
    return { spec, name };
  });
  // Sort before any floating-point sum so input order cannot change the last bit of a budget.
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const unbudgeted = named.filter(({ spec }) => spec.budget === undefined);
  const explicit = named.reduce((sum, { spec }) => sum + (spec.budget ?? 0), 0);
  const weightSum = unbudgeted.reduce((sum, { spec }) => sum + ORGANISATION_KINDS[spec.kind].budgetWeight, 0);
  const remaining = Math.max(0, locality.budget - explicit);
  return named
    .map(({ spec, name }) => ({
      name,
      spec,
      annualBudget: spec.budget ?? (weightSum > 0 ? (remaining * ORGANISATION_KINDS[spec.kind].budgetWeight) / weightSum : 0),
      leaders: Math.max(1, Math.floor(spec.leaders ?? 1)),
    }));
}

/** JSON with object keys sorted, so the order fields were written in does not matter. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function initialise(scenario: Scenario, seed: string | number, replicate: number): SimState {
  const seedKey = String(seed);
  const localities = [...scenario.localities].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const resolved = localities.map(resolveOrganisations);
  const nLoc = localities.length;
  const nOrg = resolved.reduce((s, orgs) => s + orgs.length, 0);
  const nLeaders = resolved.reduce((s, orgs) => s + orgs.reduce((t, o) => t + o.leaders, 0), 0);
  const F = (n: number) => new Float64Array(n);
  const I = (n: number) => new Int32Array(n);
  const U8 = (n: number) => new Uint8Array(n);

  const L = {
    id: new Array<string>(nLeaders), org: I(nLeaders), locality: I(nLeaders), type: U8(nLeaders),
    power: F(nLeaders), control: F(nLeaders), focus: F(nLeaders), focusHome: F(nLeaders), altruism: F(nLeaders),
    ambition: F(nLeaders), followership: F(nLeaders), riskAppetite: F(nLeaders), tenure: I(nLeaders),
    expectation: F(nLeaders), disposition: F(nLeaders), unforced: F(nLeaders), distributedPower: F(nLeaders),
    sanctionPressure: F(nLeaders), resources: F(nLeaders), pooled: F(nLeaders), cost: F(nLeaders), retained: F(nLeaders),
    trustMean: F(nLeaders), rng: new StreamBank(nLeaders),
  };
  const O = {
    name: new Array<string>(nOrg), kind: U8(nOrg), locality: I(nOrg), leaderStart: I(nOrg), leaderEnd: I(nOrg),
    budget0: F(nOrg), budget: F(nOrg), power: F(nOrg), exposure: F(nOrg), performanceBase: F(nOrg), target: F(nOrg),
    performance: F(nOrg), regulatoryFactor: F(nOrg).fill(1), shortfall: F(nOrg),
    localityShare: F(nOrg), isCouncil: U8(nOrg), isAcute: U8(nOrg), isCommissioner: U8(nOrg),
    pressure: F(nOrg), feltNeed: F(nOrg), incomeLoss: F(nOrg), referencePerformance: F(nOrg),
  };
  const C = {
    name: localities.map((l) => l.name), leaderStart: I(nLoc), leaderEnd: I(nLoc), orgStart: I(nLoc), orgEnd: I(nLoc),
    powerfulOrg: I(nLoc), history: F(nLoc), budget0: F(nLoc), meanAmbition: F(nLoc), meanFollowership: F(nLoc), pool: F(nLoc), vision: F(nLoc), understanding: F(nLoc),
    formula: U8(nLoc), friction: F(nLoc), stage: U8(nLoc), roundsActive: I(nLoc), outcome: F(nLoc), baseline: F(nLoc),
    trendOutcome: F(nLoc), lag1: F(nLoc), lag2: F(nLoc), lag3: F(nLoc), valueStock: F(nLoc), servicesLife: F(nLoc),
    poolOwn: F(nLoc), perceivedReturn: F(nLoc).fill(scenario.leaders.priorReturn), smoothedValue: F(nLoc), smoothedPooled: F(nLoc),
    fundEscrow: F(nLoc), fundForfeited: F(nLoc), fundWindowMean: F(nLoc), fundWindowMin: F(nLoc),
    fundWindowDecisions: F(nLoc), fundWindowRounds: I(nLoc),
    decided: U8(nLoc), forced: U8(nLoc),
    conflict: U8(nLoc), veto: U8(nLoc), contributions: F(nLoc), deployed: F(nLoc), idleLost: F(nLoc),
    fundEntitled: F(nLoc), fundPaid: F(nLoc), scope: F(nLoc), scale: F(nLoc), value: F(nLoc), cost: F(nLoc),
    resources: F(nLoc), minDisposition: F(nLoc), meanDisposition: F(nLoc),
    meanTrust: F(nLoc), minTrust: F(nLoc), engagement: F(nLoc), inequality: F(nLoc),
    decidedMonths: F(nLoc), forcedMonths: F(nLoc), trustUp: F(nLoc), decisionsSinceAssessment: F(nLoc), roundsSinceAssessment: I(nLoc), dispositionSinceAssessment: F(nLoc), rng: new StreamBank(nLoc),
  };

  const { leaders: leaderParams, trust: trustParams, board } = scenario;
  const mix = leaderParams.typeMix;
  const typeWeights = [mix.conditional, mix.freeRider, mix.humpShaped, mix.altruist];
  const typeWeightsUsable = typeWeights.some((w) => w > 0) ? typeWeights : [1, 0, 0, 0];
  const mandateFriction = scenario.regime.mandated ? board.mandateFriction : 0;
  // Formal structures cost effort to set up (Seed 002; Thesis §7.5.2).
  const structureFriction = board.structureFriction * scenario.regime.structuralPartnering;

  let leader = 0;
  let org = 0;
  for (let c = 0; c < nLoc; c++) {
    const loc = localities[c];
    C.leaderStart[c] = leader;
    C.orgStart[c] = org;
    C.history[c] = loc.history;
    const forced = loc.forcedAcrossBoundaries ? board.mandateFriction : 0;
    C.friction[c] = clamp01(loc.structuralFriction + Math.max(mandateFriction, forced) + structureFriction);
    C.baseline[c] = loc.baselineOutcome;
    C.trendOutcome[c] = loc.baselineOutcome;
    C.outcome[c] = loc.baselineOutcome;
    C.rng.seed(c, seedKey, replicate, 'locality', loc.name);
    let bestPower = -1;
    for (const o of resolved[c]) {
      const profile = ORGANISATION_KINDS[o.spec.kind];
      O.name[org] = o.name;
      O.kind[org] = ORGANISATION_KIND_NAMES.indexOf(o.spec.kind);
      O.locality[org] = c;
      O.budget0[org] = o.annualBudget / scenario.roundsPerYear;
      O.budget[org] = O.budget0[org];
      O.feltNeed[org] = O.budget0[org] / Math.pow(1 + scenario.funding.demandGrowth, 1 / scenario.roundsPerYear); // round 0's demand growth brings it to the budget
      O.power[org] = o.spec.power ?? profile.power;
      O.exposure[org] = profile.regulatorExposure;
      O.performanceBase[org] = profile.performanceBase;
      O.target[org] = profile.performanceTarget;
      O.performance[org] = profile.performanceBase;
      O.referencePerformance[org] = profile.performanceBase;
      O.isCouncil[org] = o.spec.kind === 'council' ? 1 : 0;
      O.isAcute[org] = o.spec.kind === 'acute' ? 1 : 0;
      O.isCommissioner[org] = o.spec.kind === 'commissioner' ? 1 : 0;
      O.leaderStart[org] = leader;
      if (O.power[org] > bestPower) {
        bestPower = O.power[org];
        C.powerfulOrg[c] = org;
      }
      C.budget0[c] += O.budget0[org];
      for (let k = 0; k < o.leaders; k++) {
        const id = `${loc.name}/${o.name}/${k}`;
        const draw = stream(seedKey, replicate, 'init', id);
        L.id[leader] = id;
        L.org[leader] = org;
        L.locality[leader] = c;
        // Leaders of one organisation share its positional power, so splitting an organisation keeps
        // its total power (though each leader's share, and so measured dominance, is smaller).
        L.power[leader] = O.power[org] / o.leaders;
        const attributes = drawAttributes(profile.leader, o.spec.leader, leaderParams.override, leaderParams.heterogeneity, draw);
        L.control[leader] = attributes.control;
        L.focus[leader] = attributes.focus;
        L.focusHome[leader] = attributes.focus;
        L.altruism[leader] = attributes.altruism;
        L.ambition[leader] = attributes.ambition;
        L.followership[leader] = attributes.followership;
        L.riskAppetite[leader] = attributes.riskAppetite;
        L.type[leader] = LEADER_TYPES[pickWeighted(draw, typeWeightsUsable)].code;
        L.rng.seed(leader, seedKey, replicate, 'leader', id);
        leader++;
      }
      O.leaderEnd[org] = leader;
      org++;
    }
    C.leaderEnd[c] = leader;
    C.orgEnd[c] = org;
    for (let o = C.orgStart[c]; o < org; o++) O.localityShare[o] = C.budget0[c] > 0 ? O.budget0[o] / C.budget0[c] : 0;
    let ambition = 0;
    let followership = 0;
    for (let i = C.leaderStart[c]; i < leader; i++) {
      ambition += L.ambition[i];
      followership += L.followership[i];
    }
    C.meanAmbition[c] = ambition / (leader - C.leaderStart[c]);
    C.meanFollowership[c] = followership / (leader - C.leaderStart[c]);
  }

  const ties = buildNetwork({
    localityStart: C.leaderStart,
    localityEnd: C.leaderEnd,
    leaderLocality: L.locality,
    leaderKind: Uint8Array.from(L.org, (o) => O.kind[o]),
    crossTiesPerLeader: trustParams.crossTiesPerLeader,
    crossTieWeight: trustParams.crossTieWeight,
  });
  // Initial directed trust: baseline shifted by the locality's history, with dyad noise drawn
  // from the truster's own stream (so it does not depend on other leaders' draws).
  for (let c = 0; c < nLoc; c++) C.minTrust[c] = lowestTrustBeforeTies(C.leaderEnd[c] - C.leaderStart[c], trustParams.initial);
  for (let i = 0; i < nLeaders; i++) {
    const draw = stream(seedKey, replicate, 'trust', L.id[i]);
    const history = C.history[L.locality[i]];
    let weighted = 0;
    let weights = 0;
    let sum = 0;
    let min = 1;
    let count = 0;
    for (let k = ties.start[i]; k < ties.start[i + 1]; k++) {
      const shift = ties.within[k] ? trustParams.historyWeight * history : 0;
      const t = clamp01(trustParams.initial + shift + trustParams.noise * normal(draw));
      ties.trust[k] = t;
      ties.expected[k] = priorExpectation(leaderParams.priorBelief, t);
      weighted += ties.expected[k] * ties.weight[k];
      weights += ties.weight[k];
      if (ties.within[k]) {
        sum += t;
        count++;
        if (t < min) min = t;
      }
    }
    L.trustMean[i] = count > 0 ? sum / count : trustParams.initial;
    const c = L.locality[i];
    if (count > 0 && min < C.minTrust[c]) C.minTrust[c] = min;
    L.expectation[i] = weights > 0 ? weighted / weights : priorExpectation(leaderParams.priorBelief, trustParams.initial);
  }

  return { scenario, seed: seedKey, replicate, round: 0, demandFactor: 1, budgetFactor: 1, leaders: L, organisations: O, localities: C, ties };
}

function drawAttributes(
  kindMeans: LeaderAttributes,
  orgOverride: Partial<LeaderAttributes> | undefined,
  globalOverride: Partial<LeaderAttributes>,
  heterogeneity: number,
  draw: () => number,
): LeaderAttributes {
  const out = {} as LeaderAttributes;
  // Fixed draw order (one normal per attribute, always consumed) keeps streams aligned when
  // overrides change which values are used.
  for (const key of ['control', 'focus', 'altruism', 'ambition', 'followership', 'riskAppetite'] as const) {
    const drawn = clamp01(kindMeans[key] + heterogeneity * normal(draw));
    out[key] = globalOverride[key] ?? orgOverride?.[key] ?? drawn;
  }
  return out;
}

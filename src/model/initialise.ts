/**
 * Initialisation: turns a scenario, a seed and a replicate index into the state at round 0.
 * Localities are sorted by name and organisations by name inside their locality, and every
 * random draw comes from a stream keyed by the entity's name, so the order in which a scenario
 * lists its localities and organisations never changes a result.
 */
import { ORGANISATION_KINDS, ORGANISATION_KIND_NAMES } from '../agents/organisation-kinds.ts';
import { LEADER_TYPES } from '../agents/leader-types.ts';
import { buildNetwork } from './network.ts';
import { aleaSeed, aleaSeedPair, normal, pickWeighted, streamFrom, streamKey, type Uniform } from './rng.ts';
import { lowestTrustBeforeTies, priorExpectation } from './submodels/learning.ts';
import { LeaderArrays, LocalityArrays, OrganisationArrays, SimState, type TieArrays } from './state.ts';
import type { LeaderAttributes, LocalitySpec, OrganisationSpec, Scenario } from './types.ts';

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// Set-up runs once per replicate, so a fresh sweep worker runs it hundreds of times while V8 is
// still learning the model's shapes: it builds its objects with constructors and its arrays with
// loops (not literals, spreads, map or filter), and is split into small functions that compile
// quickly and separately (issue #15, cold start).

/** An organisation of a locality as the model sets it up: its name, budget and number of leaders. */
export class ResolvedOrganisation {
  declare name: string;
  declare spec: OrganisationSpec;
  declare annualBudget: number;
  declare leaders: number;

  constructor(name: string, spec: OrganisationSpec) {
    this.name = name;
    this.spec = spec;
    // Not a number until resolveOrganisations sets it: NaN, unlike 0, is stored as a double, the
    // field's final representation, so the hidden class does not change when the budget comes.
    this.annualBudget = NaN;
    this.leaders = Math.max(1, Math.floor(spec.leaders ?? 1));
  }
}

/** Gives every organisation its name (kind, numbered when a kind repeats) and its budget. */
export function resolveOrganisations(locality: LocalitySpec): ResolvedOrganisation[] {
  const named = nameOrganisations(locality.organisations);
  // Sums in name order, so input order cannot change the last bit of a budget.
  let explicit = 0;
  let weightSum = 0;
  for (let k = 0; k < named.length; k++) {
    const spec = named[k].spec;
    explicit += spec.budget ?? 0;
    if (spec.budget === undefined) weightSum += ORGANISATION_KINDS[spec.kind].budgetWeight;
  }
  const remaining = Math.max(0, locality.budget - explicit);
  for (let k = 0; k < named.length; k++) {
    const org = named[k];
    const spec = org.spec;
    org.annualBudget = spec.budget ?? (weightSum > 0 ? (remaining * ORGANISATION_KINDS[spec.kind].budgetWeight) / weightSum : 0);
  }
  return named;
}

/** The organisations named and sorted by name. */
function nameOrganisations(specs: readonly OrganisationSpec[]): ResolvedOrganisation[] {
  const counts = new Map<string, number>();
  for (let k = 0; k < specs.length; k++) counts.set(specs[k].kind, (counts.get(specs[k].kind) ?? 0) + 1);
  // When no kind repeats, an organisation's name is its own or its kind's whatever the order; and
  // when those names are distinct, sorting by them fixes the order. Otherwise number unnamed
  // organisations of a repeated kind in a canonical order (by their content), so listing them in
  // another order gives each the same name and hence the same random streams.
  const named = counts.size === specs.length ? namedInOrder(specs, counts) : null;
  const result = named !== null && distinctNames(named) ? named : namedInOrder(canonicalOrder(specs), counts);
  return result.sort(byName);
}

function namedInOrder(specs: readonly OrganisationSpec[], counts: ReadonlyMap<string, number>): ResolvedOrganisation[] {
  const seen = new Map<string, number>();
  const named: ResolvedOrganisation[] = [];
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k];
    const index = (seen.get(spec.kind) ?? 0) + 1;
    seen.set(spec.kind, index);
    named.push(new ResolvedOrganisation(spec.name ?? ((counts.get(spec.kind) ?? 0) > 1 ? `${spec.kind}-${index}` : spec.kind), spec));
  }
  return named;
}

function distinctNames(named: readonly ResolvedOrganisation[]): boolean {
  const names = new Set<string>();
  for (let k = 0; k < named.length; k++) names.add(named[k].name);
  return names.size === named.length;
}

/** The specs sorted by their content (a stable sort: equal specs keep their order). */
function canonicalOrder(specs: readonly OrganisationSpec[]): OrganisationSpec[] {
  const keyed = specs.map((spec) => ({ spec, key: stableKey(spec) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted: OrganisationSpec[] = [];
  for (let k = 0; k < keyed.length; k++) sorted.push(keyed[k].spec);
  return sorted;
}

/**
 * JSON with object keys sorted, so the order fields were written in does not matter. Loops rather
 * than map/filter/sort chains over entries: the same string (a hole or an undefined element of a
 * list gives nothing between its commas, as `join` does; an undefined field is left out), with
 * no closure or pair array per value.
 */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let k = 0; k < value.length; k++) {
      if (k > 0) out += ',';
      const part = k in value ? stableKey(value[k]) : undefined;
      if (part !== undefined) out += part;
    }
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys: string[] = [];
    for (const key of Object.keys(record)) if (record[key] !== undefined) keys.push(key);
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let out = '{';
    for (let k = 0; k < keys.length; k++) {
      if (k > 0) out += ',';
      out += `${JSON.stringify(keys[k])}:${stableKey(record[keys[k]])}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

export function initialise(scenario: Scenario, seed: string | number, replicate: number): SimState {
  const localities = sortedLocalities(scenario.localities);
  const resolved: ResolvedOrganisation[][] = [];
  const names: string[] = [];
  let nOrg = 0;
  let nLeaders = 0;
  for (let c = 0; c < localities.length; c++) {
    const orgs = resolveOrganisations(localities[c]);
    resolved.push(orgs);
    names.push(localities[c].name);
    nOrg += orgs.length;
    for (let o = 0; o < orgs.length; o++) nLeaders += orgs[o].leaders;
  }
  const setUp = new SetUp(scenario, String(seed), replicate, nLeaders, nOrg, names);
  for (let c = 0; c < localities.length; c++) setUp.locality(c, localities[c], resolved[c]);
  const { leaders: L, organisations: O, localities: C } = setUp;
  const ties = buildNetwork({
    localityStart: C.leaderStart,
    localityEnd: C.leaderEnd,
    leaderLocality: L.locality,
    leaderKind: leaderKinds(L, O),
    crossTiesPerLeader: scenario.trust.crossTiesPerLeader,
    crossTieWeight: scenario.trust.crossTieWeight,
  });
  setUp.initialTrust(ties);
  return new SimState(scenario, setUp.seedKey, replicate, L, O, C, ties);
}

/** The localities sorted by name (a copy). */
function sortedLocalities(list: readonly LocalitySpec[]): LocalitySpec[] {
  const sorted: LocalitySpec[] = [];
  for (let c = 0; c < list.length; c++) sorted.push(list[c]);
  return sorted.sort(byName);
}

/** The organisation kind of every leader. */
function leaderKinds(L: LeaderArrays, O: OrganisationArrays): Uint8Array {
  const kinds = new Uint8Array(L.org.length);
  for (let i = 0; i < kinds.length; i++) kinds[i] = O.kind[L.org[i]];
  return kinds;
}

/** The state's arrays being filled, locality by locality, with the constants set-up needs. */
class SetUp {
  declare scenario: Scenario;
  declare seedKey: string;
  declare replicate: number;
  declare leaders: LeaderArrays;
  declare organisations: OrganisationArrays;
  declare localities: LocalityArrays;
  /** Weights of the leader types (conditional, free rider, hump-shaped, altruist); all conditional if none is positive. */
  declare typeWeights: number[];
  declare mandateFriction: number;
  declare structureFriction: number;
  /** Next leader and organisation index to fill. */
  declare nextLeader: number;
  declare nextOrg: number;

  constructor(scenario: Scenario, seedKey: string, replicate: number, nLeaders: number, nOrg: number, names: string[]) {
    this.scenario = null as unknown as Scenario; // typed "any object" from the first, as SimState's (state.ts)
    this.scenario = scenario;
    this.seedKey = seedKey;
    this.replicate = replicate;
    this.leaders = new LeaderArrays(nLeaders);
    this.organisations = new OrganisationArrays(nOrg);
    this.localities = new LocalityArrays(names, scenario.leaders.priorReturn);
    const mix = scenario.leaders.typeMix;
    const weights = [mix.conditional, mix.freeRider, mix.humpShaped, mix.altruist];
    this.typeWeights = weights[0] > 0 || weights[1] > 0 || weights[2] > 0 || weights[3] > 0 ? weights : [1, 0, 0, 0];
    const board = scenario.board;
    this.mandateFriction = scenario.regime.mandated ? board.mandateFriction : 0;
    // Formal structures cost effort to set up (Seed 002; Thesis §7.5.2).
    this.structureFriction = board.structureFriction * scenario.regime.structuralPartnering;
    this.nextLeader = 0;
    this.nextOrg = 0;
  }

  locality(c: number, loc: LocalitySpec, orgs: readonly ResolvedOrganisation[]): void {
    const C = this.localities;
    const board = this.scenario.board;
    C.leaderStart[c] = this.nextLeader;
    C.orgStart[c] = this.nextOrg;
    C.history[c] = loc.history;
    const forced = loc.forcedAcrossBoundaries ? board.mandateFriction : 0;
    C.friction[c] = clamp01(loc.structuralFriction + Math.max(this.mandateFriction, forced) + this.structureFriction);
    C.baseline[c] = loc.baselineOutcome;
    C.trendOutcome[c] = loc.baselineOutcome;
    C.outcome[c] = loc.baselineOutcome;
    C.rng.seed(c, this.seedKey, this.replicate, 'locality', loc.name);
    let bestPower = -1;
    for (let k = 0; k < orgs.length; k++) {
      const org = this.nextOrg;
      const power = this.organisation(c, loc, orgs[k]);
      if (power > bestPower) {
        bestPower = power;
        C.powerfulOrg[c] = org;
      }
      C.budget0[c] += this.organisations.budget0[org];
    }
    C.leaderEnd[c] = this.nextLeader;
    C.orgEnd[c] = this.nextOrg;
    this.localitySums(c);
  }

  /** Fills the next organisation and its leaders; returns its positional power. */
  private organisation(c: number, loc: LocalitySpec, o: ResolvedOrganisation): number {
    const O = this.organisations;
    const scenario = this.scenario;
    const org = this.nextOrg++;
    const kind = o.spec.kind;
    const profile = ORGANISATION_KINDS[kind];
    O.name[org] = o.name;
    O.kind[org] = ORGANISATION_KIND_NAMES.indexOf(kind);
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
    O.isCouncil[org] = kind === 'council' ? 1 : 0;
    O.isAcute[org] = kind === 'acute' ? 1 : 0;
    O.isCommissioner[org] = kind === 'commissioner' ? 1 : 0;
    O.leaderStart[org] = this.nextLeader;
    for (let k = 0; k < o.leaders; k++) this.leader(c, org, `${loc.name}/${o.name}/${k}`, O.power[org] / o.leaders, profile.leader, o.spec.leader);
    O.leaderEnd[org] = this.nextLeader;
    return O.power[org];
  }

  /**
   * Fills the next leader. Leaders of one organisation share its positional power, so splitting
   * an organisation keeps its total power (though each leader's share, and so measured
   * dominance, is smaller).
   */
  private leader(c: number, org: number, id: string, power: number, kindMeans: LeaderAttributes, own: Partial<LeaderAttributes> | undefined): void {
    const L = this.leaders;
    const params = this.scenario.leaders;
    const global = params.override;
    const spread = params.heterogeneity;
    const i = this.nextLeader++;
    // The leader's set-up stream and its own stream for the rounds, seeded side by side.
    const [init, rounds] = aleaSeedPair(streamKey(this.seedKey, this.replicate, 'init', id), streamKey(this.seedKey, this.replicate, 'leader', id));
    const draw = streamFrom(init);
    L.rng.set(i, rounds);
    L.id[i] = id;
    L.org[i] = org;
    L.locality[i] = c;
    L.power[i] = power;
    // Fixed draw order (one normal per attribute, always consumed) keeps streams aligned when
    // overrides change which values are used.
    L.control[i] = attribute(kindMeans.control, global.control, own?.control, spread, draw);
    L.focus[i] = attribute(kindMeans.focus, global.focus, own?.focus, spread, draw);
    L.focusHome[i] = L.focus[i];
    L.altruism[i] = attribute(kindMeans.altruism, global.altruism, own?.altruism, spread, draw);
    L.ambition[i] = attribute(kindMeans.ambition, global.ambition, own?.ambition, spread, draw);
    L.followership[i] = attribute(kindMeans.followership, global.followership, own?.followership, spread, draw);
    L.riskAppetite[i] = attribute(kindMeans.riskAppetite, global.riskAppetite, own?.riskAppetite, spread, draw);
    L.type[i] = LEADER_TYPES[pickWeighted(draw, this.typeWeights)].code;
  }

  /** Budget shares of the locality's organisations and its leaders' mean traits. */
  private localitySums(c: number): void {
    const { leaders: L, organisations: O, localities: C } = this;
    for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) O.localityShare[o] = C.budget0[c] > 0 ? O.budget0[o] / C.budget0[c] : 0;
    let ambition = 0;
    let followership = 0;
    for (let i = C.leaderStart[c]; i < C.leaderEnd[c]; i++) {
      ambition += L.ambition[i];
      followership += L.followership[i];
    }
    C.meanAmbition[c] = ambition / (C.leaderEnd[c] - C.leaderStart[c]);
    C.meanFollowership[c] = followership / (C.leaderEnd[c] - C.leaderStart[c]);
  }

  /**
   * Initial directed trust: baseline shifted by the locality's history, with dyad noise drawn
   * from the truster's own stream (so it does not depend on other leaders' draws).
   */
  initialTrust(ties: TieArrays): void {
    const { leaders: L, localities: C } = this;
    const initial = this.scenario.trust.initial;
    for (let c = 0; c < C.minTrust.length; c++) C.minTrust[c] = lowestTrustBeforeTies(C.leaderEnd[c] - C.leaderStart[c], initial);
    // Two leaders' trust streams seeded side by side (aleaSeedPair); each leader draws only its own.
    const n = L.id.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const [first, second] = aleaSeedPair(this.trustKey(i), this.trustKey(i + 1));
      this.leaderTrust(i, ties, streamFrom(first));
      this.leaderTrust(i + 1, ties, streamFrom(second));
    }
    if (i < n) this.leaderTrust(i, ties, streamFrom(aleaSeed(this.trustKey(i))));
  }

  /** The key of leader i's stream for its initial trust. */
  private trustKey(i: number): string {
    return streamKey(this.seedKey, this.replicate, 'trust', this.leaders.id[i]);
  }

  private leaderTrust(i: number, ties: TieArrays, draw: Uniform): void {
    const { leaders: L, localities: C } = this;
    const { trust: trustParams, leaders: leaderParams } = this.scenario;
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
}

/** One attribute of a leader: the scenario's override, else the organisation's, else drawn around the kind's mean (the draw always made). */
function attribute(mean: number, global: number | undefined, own: number | undefined, spread: number, draw: Uniform): number {
  const drawn = clamp01(mean + spread * normal(draw));
  return global ?? own ?? drawn;
}

/**
 * Submodel 2, regulation: every `assessmentInterval` months (at least one round) the regime assesses organisations
 * (weight 1 − A) against their performance targets and localities (weight A) on collective
 * delivery, sets each organisation's budget factor until the next assessment (penalties and
 * rewards), and moves leaders' organisational focus: up under organisational assessment,
 * down under system assessment (Thesis §5.7.5, §2.10.2).
 */
import type { RoundContext } from '../context.ts';
import type { SimState } from '../state.ts';

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

export function isAssessmentRound(state: SimState, context: RoundContext): boolean {
  return state.round > 0 && state.round % context.assessmentRounds === 0;
}

export function regulation(state: SimState, context: RoundContext): void {
  if (!isAssessmentRound(state, context)) return;
  const { organisations: O, localities: C, leaders: L, scenario } = state;
  const regime = scenario.regime;
  const A = regime.accountability;
  const interval = context.assessmentRounds;
  // Formed before the loop, not only in the rare branch that pays it: a product first computed
  // after V8 optimised this phase had no type feedback and threw the optimised code away.
  const fullReward = regime.rewardSeverity * A;

  for (let c = 0; c < C.name.length; c++) {
    const nLeaders = C.leaderEnd[c] - C.leaderStart[c];
    // Divided by the rounds actually summed: an intervention may change the interval mid-window.
    const rounds = C.roundsSinceAssessment[c] > 0 ? C.roundsSinceAssessment[c] : interval;
    const meanDisposition = C.dispositionSinceAssessment[c] / (rounds * nLeaders);
    const decisionRate = C.decisionsSinceAssessment[c] / (rounds * context.monthsPerRound); // share of months decided
    const score = 0.5 * Math.min(1, meanDisposition / regime.systemTarget) + 0.5 * decisionRate;
    const systemPenalty = regime.penaltySeverity * A * (1 - score);
    const systemReward = score >= 0.999 ? fullReward : 0;
    for (let o = C.orgStart[c]; o < C.orgEnd[c]; o++) {
      const target = O.target[o];
      const shortfall = target > 0 ? Math.max(0, target - O.performance[o]) / target : 0;
      O.shortfall[o] = shortfall;
      const orgPenalty = context.orgPenaltyRule
        ? context.orgPenaltyRule.evaluate({
            shortfall, severity: regime.penaltySeverity, accountability: A,
            performance: O.performance[o], target, exposure: O.exposure[o],
          })
        : regime.penaltySeverity * (1 - A) * shortfall * O.exposure[o];
      const orgReward = shortfall === 0 ? regime.rewardSeverity * (1 - A) * O.exposure[o] : 0;
      O.regulatoryFactor[o] = clamp(1 - orgPenalty - systemPenalty + orgReward + systemReward, 0.5, 1.5);
      const sensitivity = scenario.leaders.focusSensitivity;
      for (let i = O.leaderStart[o]; i < O.leaderEnd[o]; i++) {
        const f = L.focus[i];
        const up = (1 - A) * O.exposure[o] * (1 + shortfall) * (1 - f);
        const down = A * f;
        L.focus[i] = clamp(f + sensitivity * (up - down), 0, 1);
      }
    }
    C.decisionsSinceAssessment[c] = 0;
    C.dispositionSinceAssessment[c] = 0;
    C.roundsSinceAssessment[c] = 0;
  }
}

/**
 * Every numeric parameter in the registry reaches the model's behaviour (issue #14: "every lever
 * live"): changing it alone, inside its range, changes some trajectory of gm-2017 or
 * public-goods-lab. The few that legitimately cannot are listed with the reason; the list is
 * checked both ways, so a parameter that goes dead, or one that comes alive, fails the test.
 */
import { describe, expect, it } from 'vitest';
import { runReplicate } from '../src/model/engine.ts';
import { getPath, PARAMETERS, setPath, type ParameterSpec } from '../src/model/parameters.ts';
import { validateScenario, withOverride } from '../src/model/scenario.ts';
import type { Scenario } from '../src/model/types.ts';
import { builtInScenario } from '../src/scenarios/index.ts';

/** Parameters neither gm-2017 nor public-goods-lab can feel, and why. */
const NOT_IN_THESE_SCENARIOS: Record<string, string> = {
  'regime.mandateFloor': 'partnering is not mandated in either scenario (regime.mandated = false)',
  'trust.mandateCost': 'no mandate, so no resentment',
  'flexibilities.leadCommissioning.cap': 'lead commissioning is not allowed in either scenario',
  'flexibilities.integratedProvision.cap': 'integrated provision is not allowed in either scenario',
  'outcomes.integratedProvisionBonus': 'integrated provision is not allowed in either scenario',
  'leaders.sanctions.strength': 'peer sanctions are off in both scenarios',
  'leaders.sanctions.memory': 'peer sanctions are off in both scenarios',
  'board.structureFriction': 'regime.structuralPartnering is 0 in both scenarios, so structures add no friction',
  'board.regressUnderstanding': 'understanding only falls on turnover: no performing board falls back in these runs',
  'board.regressTrust': 'no norming or performing board\'s trust falls back in these runs (gm-2017 has little pace pressure)',
};

/**
 * The scenario with `spec` alone moved, inside its range and far enough to matter: up by half
 * its value or a tenth of its span (at most 2), else a quarter of that, else down, whichever first gives a valid scenario
 * (some parameters are ordered, e.g. regressTrust < normingTrust < performingTrust).
 */
function moved(scenario: Scenario, spec: ParameterSpec): Scenario {
  const value = getPath(scenario, spec.path) as number;
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  let step = Math.max(Math.abs(value) * 0.5, 0.1 * Math.min(max - min, 20));
  if (spec.type === 'integer') step = Math.max(1, Math.round(step));
  for (const candidate of [value + step, value + step / 4, value - step, value - step / 4]) {
    const next = spec.type === 'integer' ? Math.round(candidate) : candidate;
    if (next < min || next > max || next === value) continue;
    const edited = structuredClone(scenario);
    setPath(edited as unknown as Record<string, unknown>, spec.path, next);
    if (validateScenario(edited).length === 0) return edited;
  }
  throw new Error(`${spec.path}: no valid value near ${value}`);
}

function fingerprint(scenario: Scenario): string {
  const { trajectories } = runReplicate(scenario, { seed: 14 });
  return trajectories.measures.map((name) => Array.from(trajectories.data[name]).join(',')).join('|');
}

describe('every behavioural parameter is read by the model', () => {
  const numeric = PARAMETERS.filter((spec) => spec.type === 'number' || spec.type === 'integer');
  const scenarios = ['gm-2017', 'public-goods-lab'].map((name) => builtInScenario(name));
  const baselines = scenarios.map(fingerprint);

  /** Does changing `spec` alone change some trajectory of either scenario? */
  const reaches = (spec: ParameterSpec): boolean => scenarios.some((scenario, k) => fingerprint(moved(scenario, spec)) !== baselines[k]);

  it('changing any numeric parameter changes a trajectory, except the listed ones', () => {
    const dead = numeric.filter((spec) => !reaches(spec)).map((spec) => spec.path).sort();
    expect(dead).toEqual(Object.keys(NOT_IN_THESE_SCENARIOS).sort());
    expect(numeric.length).toBeGreaterThan(80);
  });

  it('the listed ones are live where their switch is on', () => {
    const gm = builtInScenario('gm-2017');
    const switchedOn: Record<string, [string, unknown][]> = {
      'regime.mandateFloor': [['regime.mandated', true]],
      'trust.mandateCost': [['regime.mandated', true]],
      'flexibilities.leadCommissioning.cap': [['flexibilities.leadCommissioning.allowed', true]],
      'flexibilities.integratedProvision.cap': [['flexibilities.integratedProvision.allowed', true]],
      'outcomes.integratedProvisionBonus': [['flexibilities.integratedProvision.allowed', true]],
      'leaders.sanctions.strength': [['leaders.sanctions.enabled', true]],
      'leaders.sanctions.memory': [['leaders.sanctions.enabled', true]],
      'board.structureFriction': [['regime.structuralPartnering', 0.5]],
      'board.regressUnderstanding': [['leaders.turnoverRate', 0.5]],
      'board.regressTrust': [['regime.pacePressure', 6]],
    };
    for (const path of Object.keys(NOT_IN_THESE_SCENARIOS)) {
      const spec = PARAMETERS.find((p) => p.path === path)!;
      const on = switchedOn[path].reduce((s, [p, v]) => withOverride(s, p, v), gm);
      expect(fingerprint(moved(on, spec)), path).not.toBe(fingerprint(on));
    }
  });
});

/** Small hand-made scenarios for unit tests of single submodels. */
import { defaultParameters } from '../src/model/parameters.ts';
import { mergeDeep } from '../src/model/scenario.ts';
import type { DeepPartial, LocalitySpec, Scenario } from '../src/model/types.ts';

export function locality(name: string, extra: Partial<LocalitySpec> = {}): LocalitySpec {
  return {
    name,
    history: 0,
    structuralFriction: 0,
    baselineOutcome: 0.5,
    budget: 120,
    organisations: [{ kind: 'acute' }, { kind: 'council' }, { kind: 'commissioner' }],
    ...extra,
  };
}

export function tinyScenario(override: DeepPartial<Scenario> = {}): Scenario {
  const base: Scenario = {
    name: 'tiny',
    description: 'unit-test scenario',
    sources: [],
    ...defaultParameters(),
    rounds: 24,
    localities: [locality('north'), locality('south')],
  };
  return mergeDeep(base, override);
}

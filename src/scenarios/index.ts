/** Built-in scenarios by name. */
import type { Scenario } from '../model/types.ts';
import { gm2017 } from './gm-2017.ts';

export const DEFAULT_SCENARIO = 'gm-2017';

const BUILT_IN: Record<string, () => Scenario> = {
  'gm-2017': gm2017,
};

export function builtInScenarioNames(): string[] {
  return Object.keys(BUILT_IN);
}

/** A fresh copy of a built-in scenario, or an error listing the names that exist. */
export function builtInScenario(name: string): Scenario {
  const make = BUILT_IN[name];
  if (!make) throw new RangeError(`unknown scenario "${name}"; built-in scenarios: ${builtInScenarioNames().join(', ')}`);
  return make();
}

export { gm2017 } from './gm-2017.ts';
export { syntheticSystem } from './synthetic.ts';

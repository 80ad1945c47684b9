/** Built-in scenarios and regimes by name. */
import type { Scenario } from '../model/types.ts';
import { gm2017 } from './gm-2017.ts';
import { islandOfSuccess } from './island-of-success.ts';
import { pacePressure } from './pace-pressure.ts';
import { publicGoodsLab } from './public-goods-lab.ts';
import { regimeComparison } from './regime-comparison.ts';
import { speedOfTrust } from './speed-of-trust.ts';

export const DEFAULT_SCENARIO = 'gm-2017';

const BUILT_IN: Record<string, () => Scenario> = {
  'gm-2017': gm2017,
  'speed-of-trust': speedOfTrust,
  'island-of-success': islandOfSuccess,
  'regime-comparison': regimeComparison,
  'pace-pressure': pacePressure,
  'public-goods-lab': publicGoodsLab,
};

export function builtInScenarioNames(): string[] {
  return Object.keys(BUILT_IN);
}

/** Whether `name` is a built-in scenario. */
export function isBuiltInScenario(name: string): boolean {
  return Object.hasOwn(BUILT_IN, name);
}

/** A fresh copy of a built-in scenario, or an error listing the names that exist. */
export function builtInScenario(name: string): Scenario {
  const make = isBuiltInScenario(name) ? BUILT_IN[name] : undefined;
  if (!make) throw new RangeError(`unknown scenario "${name}"; built-in scenarios: ${builtInScenarioNames().join(', ')}`);
  return make();
}

export { gm2017 } from './gm-2017.ts';
export { syntheticSystem } from './synthetic.ts';
export { islandOfSuccess } from './island-of-success.ts';
export { pacePressure } from './pace-pressure.ts';
export { publicGoodsLab } from './public-goods-lab.ts';
export { regimeComparison } from './regime-comparison.ts';
export { speedOfTrust } from './speed-of-trust.ts';
export {
  REGIMES, applyRegime, builtInRegime, builtInRegimeNames, findRegime,
  type RegimeDefinition, type RegimeSettings,
} from './regimes.ts';

/**
 * partnersim's public API: build a scenario, run replicates, read results. The model core does
 * no I/O, so the same calls work in Node, a browser and a Deno notebook.
 *
 * @example
 * import { builtInScenario, runReplicates, measure } from 'partnersim';
 * const results = runReplicates(builtInScenario('gm-2017'), { seed: 42, replicates: 10 });
 * const outcome = measure(results[0], 'populationOutcome', 'system'); // Float64Array by round
 */
export type * from './model/types.ts';
export { PARAMETERS, parameterSpec, defaultParameters, getPath, setPath, type ParameterSpec } from './model/parameters.ts';
export { MEASURES, MEASURE_NAMES, type MeasureSpec, type Trajectories } from './model/observe.ts';
export {
  Simulation, runReplicate, runReplicates,
  type RunOptions, type ReplicatesOptions, type ReplicateResult, type StepOptions,
} from './model/engine.ts';
export {
  extendScenario, mergeDeep, validateScenario, assertValidScenario, withOverride, parseValueForPath,
  ScenarioError, type ScenarioProblem,
} from './model/scenario.ts';
export { compileRule, RuleError } from './model/rules.ts';
export { STAGES } from './model/submodels/learning.ts';
export { ORGANISATION_KINDS } from './agents/organisation-kinds.ts';
export { LEADER_TYPES } from './agents/leader-types.ts';
export { builtInScenario, builtInScenarioNames, DEFAULT_SCENARIO, gm2017, syntheticSystem } from './scenarios/index.ts';
export { measure } from './model/results.ts';
export {
  calibrate, parseCalibrationSpec, validateCalibrationSpec, CalibrationError,
  type CalibrationSpec, type CalibrationResult, type CalibrateOptions, type CalibrationParameter, type AbcSettings,
  type Target as CalibrationTarget, type Prior as CalibrationPrior, type Simulate as CalibrationSimulate,
} from './calibration/index.ts';

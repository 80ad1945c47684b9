/**
 * partnersim's public API: build a scenario, run replicates, read results. The model core does
 * no I/O, so the same calls work in Node, a browser and a Deno notebook.
 *
 * @example
 * import { applyOverrides, builtInScenario, measure, parseScenarioDocument, runReplicates } from 'partnersim';
 * const results = runReplicates(builtInScenario('gm-2017'), { seed: 42, replicates: 10 });
 * const outcome = measure(results[0], 'populationOutcome', 'system'); // Float64Array by round
 *
 * // a scenario file's text, checked as `partnersim validate` checks it (InputError names each bad field)
 * const { scenario } = parseScenarioDocument('extends: gm-2017\ntrust:\n  initial: 0.3\n', 'low-trust.yaml');
 * const strict = applyOverrides(scenario, ['regime.accountability=1']);
 */
export type * from './model/types.ts';
export { PARAMETERS, parameterSpec, defaultParameters, getPath, setPath, type ExplorationRange, type ParameterSpec } from './model/parameters.ts';
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
export { loadRuleCompiler, hasRuleFormulas, prepareRuleCompiler } from './model/formulas.ts';
export { schedule, scenarioAfter, valueDuring, SET_UP_ONLY } from './model/interventions.ts';
// Scenario documents (browser-safe): the same parsing, schema checks, overrides and messages as the CLI.
export {
  parseScenarioDocument, checkScenarioDocument, scenarioFromDocument, parseScenarioText, checkScenario, documentsResolver,
  type ResolvedScenario, type DocumentOptions, type FileResolver,
} from './documents/document.ts';
export { applyOverrides, adjustScenario, type Overrides, type Adjustments } from './documents/prepare.ts';
export { parseAssignment, applyAssignments, type Assignment } from './documents/overrides.ts';
export { InputError, formatUserError, isUserError } from './documents/errors.ts';
export { scenarioSchema, type JsonSchema } from './documents/schema.ts';
export { didYouMean } from './documents/suggest.ts';
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
// Analysis (browser-safe): paired comparisons, sweeps and sensitivity in memory, policies across
// scenarios (regret), factor effects and PRIM scenario discovery — what compare/sweep/discover print.
export { pairedStats, type PairedStats, type Better } from './analysis/paired.ts';
export { pairedComparison, type PairedComparison } from './analysis/compare.ts';
export { exploreSweep, exploreSensitivity, classifyFactors, type ExploreOptions, type SensitivityOptions } from './analysis/explore.ts';
export { sweepTable, outputColumn, OUTPUT_COLUMNS, type SweepTable, type SweepFactor, type RunRow } from './analysis/sweep-table.ts';
export { analysePolicies, type PolicyAnalysis, type PolicySummary } from './analysis/policies.ts';
export { factorEffects, mainEffect, spearman, etaSquared, type FactorEffect, type EffectLevel } from './analysis/effects.ts';
export { prim, quasiP, chooseBox, type PrimInput, type PrimResult, type PrimBox, type PrimOptions, type LimitReport } from './analysis/prim.ts';
export { discover, parseWhere, type DiscoverOptions, type Discovery } from './analysis/discover.ts';

/** Calibration engine: ABC-SMC against target statistics, model-agnostic and free of I/O. */
export {
  calibrate,
  type CalibrateOptions, type CalibrationResult, type GenerationRecord, type Particle, type ProgressCallback,
  type Simulate, type StopReason,
} from './abc-smc.ts';
export {
  CalibrationError, DEFAULT_SETTINGS, parseCalibrationSpec, resolveSettings, validateCalibrationSpec,
  type AbcSettings, type CalibrationParameter, type CalibrationProblem, type CalibrationSpec, type Prior, type Target,
} from './spec.ts';
export type { ParameterSummary, TargetFit } from './summary.ts';
export { effectiveSampleSize, weightedQuantiles } from './weighted.ts';

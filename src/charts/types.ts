/** The input of the chart writer, shared by `writeCharts` and `readRunDirectory`. */
import type { Scenario } from '../model/types.ts';
import type { LabelledResults } from './data.ts';
import type { ForcefieldFactor } from './forcefield.ts';
import type { PngOptions } from './render.ts';
import type { ChartOptions } from './specs.ts';

/** What to chart: a scenario, the results of one or more labels (regimes or scenarios), and the seed. */
export interface ChartInput {
  /** The scenario the runs were based on (after overrides); used for the narrative, trust snapshot and forcefield. */
  scenario: Scenario;
  labels: LabelledResults[];
  seed: string | number;
  /** Run the forcefield perturbations (default true; costs one set of runs per factor, plus a baseline). */
  forcefield?: boolean;
  options?: ChartsOptions;
}

export interface ChartsOptions {
  /** Report title (default "partnersim: <scenario>"). */
  title?: string;
  /** Measures for the trajectory, final-outcome and gap charts (default KEY_MEASURES). */
  measures?: readonly string[];
  /** Measures in the report's summary table (default: `measures`). */
  summaryMeasures?: readonly string[];
  /** Legend title for labels (default "Regime or scenario"). */
  labelTitle?: string;
  /** 'auto' (default: years for runs of two years or more), 'year' or 'round'. */
  timeAxis?: ChartOptions['timeAxis'];
  /** Stage timeline: modal stage over replicates (default) or one replicate's. */
  stageMode?: 'modal' | 'replicate';
  /** Trust snapshot: completed rounds (default: the end of the run) and replicate (default: the first label's first). */
  trustRound?: number;
  trustReplicate?: number;
  /** Forcefield factors (default DEFAULT_FORCEFIELD_FACTORS), outcomes, replicates and window. */
  forcefieldFactors?: readonly (string | ForcefieldFactor)[];
  /** Default: populationOutcome and the thesis's three figures' outcomes, scope, scale and sustainability. */
  forcefieldOutcomes?: readonly string[];
  /** Default: the first label's replicate count. */
  forcefieldReplicates?: number;
  /** Mean over the last `window` rounds (default: the final year when the run lasts two years, else the final round). */
  forcefieldWindow?: number;
  /** PNG zoom and font files. */
  png?: PngOptions;
  /** Progress messages (e.g. for a CLI's stderr). */
  onProgress?: (message: string) => void;
}


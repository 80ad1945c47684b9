/**
 * Built-in regulatory regimes. A regime is plain data: a partial scenario that touches only the
 * `regime`, `flexibilities` and `funding` sections, with a description and the seed sections it
 * rests on. Applying a regime deep-merges it over a scenario, so it changes exactly the fields
 * it lists and leaves everything else (localities, leaders, trust, …) as the scenario had it.
 */
import { mergeDeep } from '../model/scenario.ts';
import type { DeepPartial, Scenario } from '../model/types.ts';

export type RegimeSettings = DeepPartial<Pick<Scenario, 'regime' | 'flexibilities' | 'funding'>>;

export interface RegimeDefinition {
  name: string;
  description: string;
  /** Seed-document sections the regime rests on. */
  sources: readonly string[];
  /** The fields the regime sets; everything else comes from the scenario it is applied to. */
  settings: RegimeSettings;
}

const regime = (definition: RegimeDefinition): RegimeDefinition => definition;

export const REGIMES: readonly RegimeDefinition[] = [
  regime({
    name: 'organisational',
    description:
      'Today\'s organisation-by-organisation assessment: each organisation answers to its own regulator for its own ' +
      'targets and finances; the system is not assessed (accountability 0).',
    sources: ['Thesis §5.7.5', '§5.8.1', '§6.1.2.3'],
    settings: { regime: { accountability: 0 } },
  }),
  regime({
    name: 'system',
    description:
      'Regulators assess the system (place) on collective delivery instead of each organisation (accountability 1).',
    sources: ['Thesis §2.10.2', '§7.6.2'],
    settings: { regime: { accountability: 1 } },
  }),
  regime({
    name: 'mixed',
    description: 'Organisations and the system are assessed with equal weight (accountability 0.5).',
    sources: ['Thesis §2.10.2', '§5.8.1', '§7.6.2'],
    settings: { regime: { accountability: 0.5 } },
  }),
  regime({
    name: 'devolved',
    description:
      'Greater Manchester devolution: mostly system assessment (0.7; providers\' own regulators still bite), s31 pooled ' +
      'budgets up to 30% of controllable budgets, and a £450m transformation fund over five years (£275m to localities) ' +
      'paid to a locality only when its partners collectively deliver. The fund is sized for Greater Manchester: scale ' +
      'funding.transformationFund.total to other systems.',
    sources: ['Thesis §4.1', '§5.4.5', '§5.8.1', 'Seed 004'],
    settings: {
      regime: { accountability: 0.7 },
      flexibilities: { pooledBudgets: { allowed: true, cap: 0.3 } },
      funding: { transformationFund: { total: 450, years: 5, localityShare: 275 / 450, condition: 'collective' } },
    },
  }),
  regime({
    name: 'mandated',
    description:
      'Forced partnering at pace: every leader must pool at least the mandate floor, and undecided board decisions are ' +
      'forced through often (pace pressure 14.4 a year, 0.7 a month), and every forced decision costs trust.',
    sources: ['Seed 002', 'Thesis §5.6.1', '§6.1.4', '§7.5.2'],
    settings: { regime: { mandated: true, pacePressure: 14.4 } }, // 0.7 a month
  }),
  regime({
    name: 'laissez-faire',
    description:
      'No assessment pressure: no penalties or rewards, assessments at most once a decade (so they do not push ' +
      'organisational focus either), no pace pressure, and partnering is voluntary.',
    sources: ['Seed 002', 'Thesis §5.7.5', '§6.1.4'],
    settings: {
      regime: { penaltySeverity: 0, rewardSeverity: 0, assessmentInterval: 120, pacePressure: 0, mandated: false },
    },
  }),
];

export function builtInRegimeNames(): string[] {
  return REGIMES.map((r) => r.name);
}

/** The built-in regime called `name`, or undefined. */
export function findRegime(name: string): RegimeDefinition | undefined {
  return REGIMES.find((r) => r.name === name);
}

/** The built-in regime called `name`, or a RangeError listing those that exist. */
export function builtInRegime(name: string): RegimeDefinition {
  const found = findRegime(name);
  if (!found) throw new RangeError(`unknown regime "${name}"; built-in regimes: ${builtInRegimeNames().join(', ')}`);
  return found;
}

/** A copy of `scenario` with `regime`'s settings merged over it (not validated). */
export function applyRegime(scenario: Scenario, regime: RegimeDefinition | string): Scenario {
  const definition = typeof regime === 'string' ? builtInRegime(regime) : regime;
  return mergeDeep(scenario, definition.settings);
}

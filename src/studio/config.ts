/**
 * What the studio is set to, as plain data: the scenario (a built-in name or a dropped
 * document's text), seed, replicates and, for A and optionally B, a regime, set-up overrides
 * and the interventions made during the run. It travels in the URL (so a reload or a shared link
 * reproduces the state) and to the worker. No DOM, no Node: shared by the page, the worker and
 * the tests.
 */
import { parameterSpec } from '../model/parameters.ts';
import type { Intervention } from '../model/types.ts';

export type LeverValue = number | boolean | string;

/** One side of a comparison: what differs between A and B. */
export interface Settings {
  /** A built-in regime name, or '' for the scenario's own regime. */
  regime: string;
  /** Set-up overrides by registry path (what the sliders were at round 0). */
  set: Record<string, LeverValue>;
  /** Changes made during the run, in the scenario schema's form. */
  interventions: Intervention[];
}

export interface StudioConfig {
  /** Built-in scenario name; ignored when `document` is given. */
  scenario: string;
  /** A scenario file dropped onto the page: its name (for messages) and text. */
  document?: { name: string; text: string };
  seed: number;
  replicates: number;
  a: Settings;
  /** Present when comparing: B runs on the same seeds as A (common random numbers). */
  b?: Settings;
}

export const MAX_REPLICATES = 50;

export const emptySettings = (): Settings => ({ regime: '', set: {}, interventions: [] });

export const defaultConfig = (): StudioConfig => ({ scenario: 'gm-2017', seed: 1, replicates: 20, a: emptySettings() });

/** A lever the page shows, with its slider range (a teaching range inside the registry's bounds). */
export interface Lever {
  path: string;
  label: string;
  kind: 'range' | 'switch';
  min?: number;
  max?: number;
  step?: number;
  /** For switches over an enum: the values for off and on. */
  off?: LeverValue;
  on?: LeverValue;
}

export const LEVERS: readonly Lever[] = [
  { path: 'trust.initial', label: 'Trust leaders start with', kind: 'range', min: 0, max: 1, step: 0.05 },
  { path: 'regime.accountability', label: 'Regulators judge the system, not each organisation', kind: 'range', min: 0, max: 1, step: 0.05 },
  { path: 'regime.pacePressure', label: 'Pressure to decide fast (decisions forced per year)', kind: 'range', min: 0, max: 12, step: 0.25 },
  { path: 'regime.mandated', label: 'Partnering is mandated', kind: 'switch', off: false, on: true },
  { path: 'flexibilities.pooledBudgets.allowed', label: 'Pooled budgets allowed', kind: 'switch', off: false, on: true },
  { path: 'flexibilities.pooledBudgets.cap', label: 'Largest share of budget that may be pooled', kind: 'range', min: 0, max: 1, step: 0.05 },
  { path: 'funding.transformationFund.total', label: 'Transformation fund', kind: 'range', min: 0, max: 1000, step: 25 },
  { path: 'funding.transformationFund.condition', label: 'Fund paid only if partners deliver together', kind: 'switch', off: 'none', on: 'collective' },
  { path: 'funding.budgetGrowth', label: 'Budget growth (negative = cuts)', kind: 'range', min: -0.1, max: 0.1, step: 0.005 },
  { path: 'leaders.turnoverRate', label: 'Leaders replaced each year', kind: 'range', min: 0, max: 1, step: 0.05 },
];

/** Unit and the thesis (or seed) section a lever rests on, from the parameter registry. */
export function leverInfo(path: string): { unit: string; section: string; meaning: string } {
  const spec = parameterSpec(path);
  if (!spec) throw new RangeError(`unknown lever ${path}`);
  const thesis = /Thesis\s+§\d+(?:\.\d+)*/.exec(spec.source) ?? /§\d+(?:\.\d+)*/.exec(spec.source) ?? /Seed \d+/.exec(spec.source);
  // Without a thesis section, the first reference the registry gives (e.g. "Berg et al. 1995").
  const first = spec.source.split(/[;(:]/)[0].trim();
  return { unit: spec.unit, section: thesis ? thesis[0].replace(/^§/, 'Thesis §') : first.length <= 40 ? first : 'rationale', meaning: spec.meaning };
}

/** The config as URL hash parameters (readable: `#scenario=gm-2017&seed=1&replicates=20&a=…`). */
export function configToHash(config: StudioConfig): string {
  const params = new URLSearchParams();
  if (config.document) {
    params.set('doc', config.document.text);
    params.set('docName', config.document.name);
  } else params.set('scenario', config.scenario);
  params.set('seed', String(config.seed));
  params.set('replicates', String(config.replicates));
  params.set('a', JSON.stringify(config.a));
  if (config.b) params.set('b', JSON.stringify(config.b));
  return `#${params.toString()}`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function settingsFrom(text: string | null): Settings | undefined {
  if (!text) return undefined;
  const raw: unknown = JSON.parse(text);
  if (!isObject(raw)) throw new Error('settings are not an object');
  return {
    regime: typeof raw.regime === 'string' ? raw.regime : '',
    set: isObject(raw.set) ? (raw.set as Record<string, LeverValue>) : {},
    interventions: Array.isArray(raw.interventions) ? (raw.interventions as Intervention[]) : [],
  };
}

/** Reads a config from a URL hash; missing fields take their defaults. Throws on a malformed hash. */
export function configFromHash(hash: string): StudioConfig {
  const config = defaultConfig();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.has('doc')) config.document = { name: params.get('docName') || 'scenario.yaml', text: params.get('doc') ?? '' };
  if (params.has('scenario')) config.scenario = params.get('scenario')!;
  const seed = Number(params.get('seed'));
  if (params.has('seed') && Number.isInteger(seed)) config.seed = seed;
  const replicates = Number(params.get('replicates'));
  if (params.has('replicates') && Number.isInteger(replicates)) config.replicates = Math.min(MAX_REPLICATES, Math.max(1, replicates));
  config.a = settingsFrom(params.get('a')) ?? config.a;
  config.b = settingsFrom(params.get('b'));
  return config;
}

/**
 * `settings` with `set` made at round `at` during the run: merged into an intervention already
 * at that round (a later value for the same path replaces the earlier one), else appended.
 */
export function withIntervention(settings: Settings, at: number, set: Record<string, LeverValue>, label?: string): Settings {
  const interventions = settings.interventions.map((item) => ({ ...item, set: { ...item.set } }));
  const same = interventions.find((item) => item.at === at);
  if (same) {
    Object.assign(same.set, set);
    if (label) same.label = same.label ? `${same.label}; ${label}` : label;
  } else interventions.push(label ? { at, set: { ...set }, label } : { at, set: { ...set } });
  return { ...settings, interventions };
}

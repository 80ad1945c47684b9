/**
 * The summary a sweep ends with, and the reading of a finished sweep folder for `chart` and
 * `discover`: the runs become a table of point means (src/analysis/sweep-table.ts), from which
 * factor effects and, when the sweep compares policies, regret across scenarios are computed.
 * Roles: the regime and every `--lever` path are policy factors; the rest are uncertainties.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEASURES } from '../model/observe.ts';
import { InputError } from '../documents/errors.ts';
import { round6 } from '../documents/format.ts';
import { readParquet } from '../io/parquet.ts';
import { factorEffects, type FactorEffect } from '../analysis/effects.ts';
import { analysePolicies, hasPolicies, type PolicySummary } from '../analysis/policies.ts';
import { measureOf, OUTPUT_COLUMNS, sweepTable, type FactorValue, type RunRow, type SweepTable } from '../analysis/sweep-table.ts';
import type { SweepManifest } from './manifest.ts';
import type { ParamColumn } from './tables.ts';

export const DEFAULT_SUMMARY_OUTPUTS: readonly string[] = ['populationOutcome_final', 'lifeExpectancyGain_final', 'trustMean_final'];

export interface SweepAnalysis {
  outputs: string[];
  points: number;
  replicates: number;
  method: string;
  effects: FactorEffect[];
  /** When the sweep compares at least two policies across scenarios. */
  policies?: { output: string; better: 'higher' | 'lower'; scenarios: number; uncertainties: string[]; summary: PolicySummary[] };
}

/** The role of each params column: policy (regime, levers) or uncertainty. */
export function rolesOf(params: readonly ParamColumn[], levers: readonly string[]): { name: string; role: 'policy' | 'uncertainty' }[] {
  return params.map((p) => ({ name: p.name, role: p.name === 'regime' || levers.includes(p.name) ? 'policy' : 'uncertainty' }));
}

const r6 = (x: number) => round6(x);

export function analyseSweep(table: SweepTable, outputs: readonly string[]): SweepAnalysis {
  const effects = factorEffects(table, outputs).map((e) => ({ ...e, value: e.value === null ? null : r6(e.value), spread: r6(e.spread) as number }));
  const uncertainties = table.factors.filter((f) => f.role === 'uncertainty' && new Set(f.values).size > 1).map((f) => f.name);
  let policies: SweepAnalysis['policies'];
  if (hasPolicies(table) && outputs.length > 0) {
    const output = outputs[0];
    const better = MEASURES.find((m) => m.name === measureOf(output))?.better ?? 'higher';
    const a = analysePolicies(table, output, better);
    policies = {
      output, better, scenarios: a.scenarios, uncertainties,
      summary: a.policies.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' ? r6(v) : v])) as unknown as PolicySummary),
    };
  }
  return {
    outputs: [...outputs], points: table.points, replicates: table.replicates,
    method: 'over design points, each the mean of its replicates (common random numbers); spearman: rank correlation of a numeric ' +
      'factor with the output; eta2: share of the output\'s variance between a category\'s levels; spread: largest minus smallest ' +
      'mean over the factor\'s levels (sampled factors in 8 quantile bins). Policies: regret = best policy\'s value in the same ' +
      'scenario minus this policy\'s (reversed where lower is better); wins: scenarios where the policy is best (ties shared).',
    effects,
    ...(policies ? { policies } : {}),
  };
}

export interface SweepFolder {
  dir: string;
  manifest: SweepManifest;
  table: SweepTable;
}

/** Reads a finished sweep folder (manifest.json and runs.parquet) into a table of point means. */
export async function readSweepFolder(dir: string, shown = dir): Promise<SweepFolder> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath) || !existsSync(join(dir, 'runs.parquet'))) {
    throw new InputError(`${shown} has no manifest.json and runs.parquet.`, [], 'Give the output folder of a finished `partnersim sweep`.');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as SweepManifest;
  if (manifest.tool !== 'partnersim' || !manifest.tables?.layout) throw new InputError(`${shown}/manifest.json is not a partnersim sweep manifest.`);
  if (manifest.shard) throw new InputError(`${shown} holds one shard of a sweep; join the shards first with \`partnersim merge\`.`);
  const runs = await readParquet(join(dir, 'runs.parquet'));
  const params = manifest.tables.layout.params;
  const levers = Array.isArray(manifest.design?.levers) ? (manifest.design.levers as string[]) : [];
  const point = runs.columns.point as ArrayLike<number>;
  const paramCols = params.map((p) => runs.columns[p.name] as ArrayLike<FactorValue>);
  const summaryCols = OUTPUT_COLUMNS.map((name) => {
    const c = runs.columns[name] as ArrayLike<number> | undefined;
    if (!c) throw new InputError(`${shown}/runs.parquet has no column ${name}: written by another version of partnersim?`);
    return c;
  });
  const rows = function* (): Generator<RunRow> {
    for (let i = 0; i < runs.rows; i++) {
      yield { point: point[i], params: paramCols.map((c) => c[i]), summary: summaryCols.map((c) => c[i]) };
    }
  };
  return { dir, manifest, table: sweepTable(rolesOf(params, levers), rows(), manifest.points.length) };
}

/**
 * Runs every labelled scenario on common random numbers: the same seed and the same replicate
 * indices 0..n−1 for every label, so differences between labels are not sampling noise between
 * different random streams. Results stay in memory (for the CSV, the summary and charts).
 */
import { runReplicates, type ReplicateResult } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';

export interface LabelledScenario {
  label: string;
  scenario: Scenario;
}

export interface LabelledRun extends LabelledScenario {
  results: ReplicateResult[];
}

export interface SimulateOptions {
  seed: string;
  replicates: number;
  /** Called after each replicate with replicates done and total, over all labels. */
  onProgress?: (done: number, total: number) => void;
}

export function simulate(items: readonly LabelledScenario[], options: SimulateOptions): LabelledRun[] {
  const total = items.length * options.replicates;
  return items.map((item, k) => ({
    ...item,
    results: runReplicates(item.scenario, {
      seed: options.seed,
      replicates: options.replicates,
      onProgress: (done) => options.onProgress?.(k * options.replicates + done, total),
    }),
  }));
}

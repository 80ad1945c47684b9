/**
 * Worker-thread entry for sweeps. Node 20 cannot load TypeScript in a worker, so this file runs
 * as compiled JavaScript (dist/src/experiments/worker.js; see pool.ts). Each message is a batch
 * of runs with the scenarios of the points they belong to; the reply carries one encoded
 * journal record per run (buffers transferred, not copied).
 */
import { RuleError } from '../model/rules.ts';
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../model/types.ts';
import { simulateRun, type RunRequest } from './simulate-run.ts';

export interface WorkerBatch {
  id: number;
  seed: string;
  localities: boolean;
  fingerprint: string;
  scenarios: Record<number, Scenario>;
  runs: RunRequest[];
}

/** `rule` is set for a rule formula that failed on a state (the user's to fix): its message, never a stack. */
export type WorkerReply = { id: number; records: Uint8Array[] } | { id: number; error: string; rule?: boolean };

/** Sent once the model is loaded: the pool counts a worker as started from here. */
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (batch: WorkerBatch) => {
  try {
    const records = batch.runs.map((request) => simulateRun(batch.scenarios[request.point], batch.seed, request, batch.localities, batch.fingerprint));
    parentPort!.postMessage({ id: batch.id, records } satisfies WorkerReply, records.map((r) => r.buffer as ArrayBuffer));
  } catch (error) {
    const rule = error instanceof RuleError;
    parentPort!.postMessage({ id: batch.id, error: rule ? error.message : (error as Error)?.stack ?? String(error), rule } satisfies WorkerReply);
  }
});

/**
 * Worker-thread entry for sweeps. Node 20 cannot load TypeScript in a worker, so this file runs
 * as compiled JavaScript (dist/src/experiments/worker.js; see pool.ts). Each message is a batch
 * of runs with the scenarios of the points they belong to; the reply carries one encoded
 * journal record per run, copied, not transferred: transferring a buffer detaches it, and the
 * first detach in an isolate invalidates V8's ArrayBufferDetaching protector, which throws away
 * the worker's optimised model code and adds a detach check to every typed-array access from
 * then on (2.85 against 2.42 ms per gm-2017 run; the copy of a record costs far less).
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../model/types.ts';
import { prepareRuleCompiler, RuleError } from '../model/formulas.ts';
import { ScenarioError, type ScenarioProblem } from '../model/scenario.ts';
import { simulateRun, type RunRequest } from './simulate-run.ts';

export interface WorkerBatch {
  id: number;
  seed: string;
  localities: boolean;
  fingerprint: string;
  scenarios: Record<number, Scenario>;
  runs: RunRequest[];
}

/**
 * A failure travels as its kind and message (an Error does not cross threads with its class): the
 * pool throws the same RuleError or ScenarioError an in-process run would, so the CLI prints the
 * same one-line message (exit 2), and only an unexpected failure keeps its stack.
 */
export type WorkerFailure =
  | { kind: 'rule'; message: string }
  | { kind: 'scenario'; problems: ScenarioProblem[] }
  | { kind: 'other'; message: string; stack?: string };

export type WorkerReply = { id: number; records: Uint8Array[] } | { id: number; error: WorkerFailure };

export function describeFailure(error: unknown): WorkerFailure {
  if (error instanceof RuleError) return { kind: 'rule', message: error.message };
  if (error instanceof ScenarioError) return { kind: 'scenario', problems: [...error.problems] };
  return { kind: 'other', message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack };
}

/** Sent once the model is loaded: the pool counts a worker as started from here. */
parentPort?.postMessage({ ready: true });

/**
 * The formula compiler (mathjs) is loaded only for a batch whose scenarios have regime rules;
 * batches are handled in the order they arrive, so one that waits for the compiler holds back
 * the ones after it.
 */
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (batch: WorkerBatch) => {
  queue = queue.then(() => prepareRuleCompiler(Object.values(batch.scenarios))).then(() => runBatch(batch), (error) => {
    parentPort!.postMessage({ id: batch.id, error: describeFailure(error) } satisfies WorkerReply);
  });
});

function runBatch(batch: WorkerBatch): void {
  try {
    const records = batch.runs.map((request) => simulateRun(batch.scenarios[request.point], batch.seed, request, batch.localities, batch.fingerprint));
    parentPort!.postMessage({ id: batch.id, records } satisfies WorkerReply); // no transfer list: see the header
  } catch (error) {
    parentPort!.postMessage({ id: batch.id, error: describeFailure(error) } satisfies WorkerReply);
  }
}

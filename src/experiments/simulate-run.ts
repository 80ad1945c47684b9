/**
 * One run of a sweep, as a worker (or the main thread) computes it: replicate `replicate` of
 * a point's scenario from random stream (seed, replicate), encoded as a journal record.
 */
import { runReplicate } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';
import { encodeRun } from '../io/journal.ts';

export interface RunRequest {
  run: number;
  point: number;
  replicate: number;
}

/** `fingerprint`: the experiment's (SweepPlan.fingerprint), stamped on the record so a resumed sweep uses only its own. */
export function simulateRun(scenario: Scenario, seed: string, request: RunRequest, localities: boolean, fingerprint: string): Uint8Array {
  const result = runReplicate(scenario, { seed, replicate: request.replicate, recordLocalities: localities });
  return encodeRun(request.run, result.trajectories, fingerprint);
}

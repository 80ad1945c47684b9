/**
 * Running a sweep's runs: on the main thread (`--workers 1`), or on the main thread and N − 1
 * worker threads (`--workers N`; the workers are started only when the runs left after a short
 * probe on the main thread are worth it). Runs are handed to workers in batches that shrink towards the
 * end (guided scheduling), at most two batches in flight per worker, and to the main thread one
 * at a time; each finished run comes back as an encoded journal record and is passed to
 * `onRecord` at once. The numbers never depend on which thread ran what.
 *
 * Worker threads run compiled JavaScript (Node 20 cannot load .ts in a worker): from dist/ the
 * worker is the sibling worker.js; from the TypeScript sources (tests, tsx) it is the package's
 * dist/src/experiments/worker.js, built by `npm run build`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../model/types.ts';
import { runCoordinates, type SweepPlan } from './plan.ts';
import { simulateRun, type RunRequest } from './simulate-run.ts';
import { RuleError } from '../model/formulas.ts';
import { ScenarioError } from '../model/scenario.ts';
import type { WorkerBatch, WorkerFailure, WorkerReply } from './worker.ts';

/** The error a worker's failure stands for: a rule or scenario error as thrown in-process, else a failure with its stack. */
function workerError(failure: WorkerFailure): Error {
  if (failure.kind === 'rule') return new RuleError(failure.message);
  if (failure.kind === 'scenario') return new ScenarioError(failure.problems);
  const error = new Error(`a worker failed: ${failure.message}`);
  if (failure.stack) error.stack = `${error.message}\nin the worker thread: ${failure.stack}`;
  return error;
}

/** Thrown when a sweep is stopped by a signal; everything finished so far is in the journal. */
export class SweepInterrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
    this.name = 'SweepInterrupted';
  }
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** The compiled worker entry to load. */
export function workerEntry(): URL {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL('./worker.js', here);
  let dir = dirname(fileURLToPath(here));
  for (;;) {
    const compiled = join(dir, 'dist', 'src', 'experiments', 'worker.js');
    if (existsSync(join(dir, 'package.json'))) {
      if (existsSync(compiled)) return pathToFileURL(compiled);
      throw new Error(`worker threads run compiled code: run \`npm run build\` first (${compiled} is missing), or use --workers 1.`);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the package root to locate the compiled worker; run from dist/ or use --workers 1.');
    dir = parent;
  }
}

export interface ExecuteRunsOptions {
  plan: SweepPlan;
  /** Run numbers to compute, in the order to hand them out. */
  runs: readonly number[];
  workers: number;
  workerUrl?: URL;
  signal?: AbortSignal;
  onRecord(record: Uint8Array): void;
}

const request = (plan: SweepPlan, run: number): RunRequest => ({ run, ...runCoordinates(plan, run) });

const interruption = (signal: AbortSignal) => new SweepInterrupted(typeof signal.reason === 'string' ? signal.reason : 'a signal');

/** Runs computed on the main thread and on worker threads. */
export interface ThreadShare {
  mainThread: number;
  workerThreads: number;
}

/**
 * Whether the main thread computes runs besides coordinating (default). PARTNERSIM_INLINE=0
 * leaves all runs to the worker threads: a diagnostic, and how the tests make sure the worker
 * threads are exercised.
 */
export function mainThreadComputes(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PARTNERSIM_INLINE !== '0';
}

/** The main thread runs alone at most this long before deciding whether worker threads are worth it. */
const PROBE_MS = 250;
/**
 * Worker threads are started only when the main thread alone would need longer than this for
 * the remaining runs. A worker now spends about 40 ms loading the model and about 0.2 s of CPU
 * warming it up (V8 optimising it), during which it slows the main thread down too: on 2 cores,
 * cold gm-2017 sweeps of 100, 200, 300 and 500 runs with a worker took 0.93-0.99, 1.16, 1.29-1.34
 * and 1.42-1.44 times the warmed main thread's rate (two runs each, December 2026). So a worker
 * breaks even at about 0.2 s of work and gains a sixth at 0.4 s. (This was 1.5 s when loading
 * alone took 0.6 s; with the model's speed-ups 1,000 gm-2017 runs came to 1.5 s and sometimes
 * ran without workers.)
 */
const WORKERS_WORTH_MS = 400;
/**
 * A long sweep shows itself early: once EARLY_RUNS runs and EARLY_MS have passed and the runs
 * left would already take the main thread alone longer than WORKERS_WORTH_MS, the probe ends
 * there, so the worker threads load and warm up while the other cores would sit idle; a sweep
 * that does not look long yet is judged again at PROBE_MS, as before.
 */
const EARLY_RUNS = 3;
const EARLY_MS = 10;

/**
 * Computes `runs` and passes each record to `onRecord` as it finishes. With `workers` > 1 the
 * main thread starts alone and brings in `workers − 1` worker threads if the runs left are worth
 * it (more than about 0.4 s of work); PARTNERSIM_INLINE=0 always uses `workers` worker threads.
 */
export async function executeRuns(options: ExecuteRunsOptions): Promise<ThreadShare> {
  const { runs } = options;
  if (runs.length === 0) return { mainThread: 0, workerThreads: 0 };
  if (options.workers <= 1) {
    await executeInline(options);
    return { mainThread: runs.length, workerThreads: 0 };
  }
  if (!mainThreadComputes()) return executePooled(options, false);
  const start = performance.now();
  const probed = await executeInline(options, (done) => {
    const elapsed = performance.now() - start;
    if (elapsed >= PROBE_MS) return true;
    return done >= EARLY_RUNS && elapsed >= EARLY_MS && (elapsed / done) * (runs.length - done) >= WORKERS_WORTH_MS;
  });
  const rest = runs.slice(probed);
  if (rest.length === 0) return { mainThread: probed, workerThreads: 0 };
  const perRun = (performance.now() - start) / probed;
  if (perRun * rest.length < WORKERS_WORTH_MS) {
    await executeInline({ ...options, runs: rest });
    return { mainThread: runs.length, workerThreads: 0 };
  }
  const share = await executePooled({ ...options, runs: rest }, true);
  return { mainThread: share.mainThread + probed, workerThreads: share.workerThreads };
}

/** Runs `runs` on the main thread in order until `stop(runs done)` says so; returns how many it ran. */
async function executeInline({ plan, runs, signal, onRecord }: ExecuteRunsOptions, stop?: (done: number) => boolean): Promise<number> {
  let lastYield = performance.now();
  let done = 0;
  for (const run of runs) {
    if (signal?.aborted) throw interruption(signal);
    const r = request(plan, run);
    onRecord(simulateRun(plan.scenarios[r.point], plan.seed, r, plan.localities, plan.fingerprint));
    done++;
    if (stop?.(done)) return done;
    if (performance.now() - lastYield > 50) {
      // Let signal handlers and the progress bar run.
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  if (signal?.aborted) throw interruption(signal);
  return done;
}

async function executePooled(options: ExecuteRunsOptions, inline: boolean): Promise<ThreadShare> {
  const pool = new WorkerPool(Math.min(options.workers, options.runs.length) - (inline ? 1 : 0), options.workerUrl);
  try {
    return await pool.execute({ ...options, inline });
  } finally {
    await pool.close();
  }
}

/**
 * Worker threads plus the main thread: `execute` hands runs to the main thread at once (one at a
 * time, yielding to the event loop between runs) and to each worker thread as soon as it has
 * loaded the model (batches, at most two in flight). So `--workers N` computes on N threads —
 * the main thread and N − 1 workers — and a small sweep never waits for workers to start. The
 * benchmark keeps one pool warm across calls.
 */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly started: Promise<void>[];

  /** `threads` worker threads (besides the main thread). */
  constructor(readonly threads: number, url?: URL) {
    const entry = threads > 0 ? url ?? workerEntry() : undefined;
    this.workers = Array.from({ length: Math.max(0, threads) }, () => new Worker(entry!));
    this.started = this.workers.map((worker) => new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { ready?: boolean })?.ready) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }));
    // A worker that fails to start is reported by `execute`; never leave the rejection unhandled.
    for (const promise of this.started) promise.catch(() => {});
  }

  /** Resolves once every worker thread has loaded the model. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  /**
   * Computes `options.runs`, passing each record to `onRecord` as it arrives. With `inline`
   * false the main thread only coordinates (the benchmark's worker-only figure).
   */
  async execute(options: Omit<ExecuteRunsOptions, 'workers' | 'workerUrl'> & { inline?: boolean }): Promise<ThreadShare> {
    const { plan, runs, signal, onRecord } = options;
    const inline = options.inline ?? true;
    const threads = this.workers.length;
    let next = 0;
    let batchId = 0;
    let outstanding = 0;
    let inlineActive = false;
    const share: ThreadShare = { mainThread: 0, workerThreads: 0 };
    const perWorker = new Map<Worker, number>();
    const listeners: (() => void)[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          reject(error);
        };
        const settle = () => {
          if (settled || outstanding > 0 || inlineActive) return;
          if (signal?.aborted) fail(interruption(signal));
          else if (next >= runs.length) {
            settled = true;
            resolve();
          } else if (!inline && threads === 0) fail(new Error('no thread to compute on'));
        };
        // A worker's batches start small and double (up to the guided size), so a thread that is
        // still compiling the model does not sit on many runs at the end of a sweep.
        const cap = new Map<Worker, number>();
        const makeBatch = (worker: Worker): WorkerBatch | undefined => {
          const remaining = runs.length - next;
          if (remaining <= 0) return undefined;
          const limit = cap.get(worker) ?? 2;
          cap.set(worker, Math.min(32, limit * 2));
          const count = Math.max(1, Math.min(limit, 32, Math.ceil(remaining / ((threads + (inline ? 1 : 0)) * 4))));
          const requests = runs.slice(next, next + count).map((run) => request(plan, run));
          next += count;
          const scenarios: Record<number, Scenario> = {};
          for (const r of requests) scenarios[r.point] ??= plan.scenarios[r.point];
          return { id: batchId++, seed: plan.seed, localities: plan.localities, fingerprint: plan.fingerprint, scenarios, runs: requests };
        };
        const feed = (worker: Worker) => {
          while (!settled && !signal?.aborted && (perWorker.get(worker) ?? 0) < 2) {
            const batch = makeBatch(worker);
            if (!batch) break;
            perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
            outstanding++;
            worker.postMessage(batch);
          }
          settle();
        };
        this.workers.forEach((worker, k) => {
          const onMessage = (reply: WorkerReply | { ready: true }) => {
            if (settled || 'ready' in reply) return;
            perWorker.set(worker, (perWorker.get(worker) ?? 1) - 1);
            outstanding--;
            if ('error' in reply) return fail(workerError(reply.error));
            try {
              for (const record of reply.records) onRecord(record);
            } catch (error) {
              return fail(error as Error);
            }
            share.workerThreads += reply.records.length;
            feed(worker);
          };
          const onError = (error: Error) => fail(error);
          const onExit = (code: number) => fail(new Error(`a worker exited unexpectedly (code ${code})`));
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', onExit);
          listeners.push(() => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
          });
          this.started[k].then(() => feed(worker), (error: Error) => fail(error));
        });
        const onAbort = () => fail(interruption(signal!));
        signal?.addEventListener('abort', onAbort, { once: true });
        listeners.push(() => signal?.removeEventListener('abort', onAbort));
        if (signal?.aborted) return fail(interruption(signal));
        if (inline) {
          inlineActive = true;
          void (async () => {
            try {
              while (!settled && !signal?.aborted && next < runs.length) {
                const r = request(plan, runs[next++]);
                onRecord(simulateRun(plan.scenarios[r.point], plan.seed, r, plan.localities, plan.fingerprint));
                share.mainThread++;
                // Let worker replies, signals and the progress bar in between runs.
                await new Promise((done) => setImmediate(done));
              }
            } catch (error) {
              inlineActive = false;
              return fail(error as Error);
            }
            inlineActive = false;
            settle();
          })();
        } else {
          settle();
        }
      });
    } finally {
      for (const remove of listeners) remove();
    }
    return share;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

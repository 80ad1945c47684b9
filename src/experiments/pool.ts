/**
 * Running a sweep's runs: on the main thread (`--workers 1`) or on N worker threads. Runs are
 * handed out in batches that shrink towards the end (guided scheduling), at most two batches in
 * flight per worker; each finished run comes back as an encoded journal record and is passed to
 * `onRecord` at once. The numbers never depend on which worker ran what.
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
import type { WorkerBatch, WorkerReply } from './worker.ts';

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

/** Computes `runs` and passes each record to `onRecord` as it finishes. */
export async function executeRuns(options: ExecuteRunsOptions): Promise<void> {
  if (options.runs.length === 0) return;
  if (options.workers <= 1) return executeInline(options);
  return executePooled(options);
}

async function executeInline({ plan, runs, signal, onRecord }: ExecuteRunsOptions): Promise<void> {
  let lastYield = performance.now();
  for (const run of runs) {
    if (signal?.aborted) throw interruption(signal);
    const r = request(plan, run);
    onRecord(simulateRun(plan.scenarios[r.point], plan.seed, r, plan.localities));
    if (performance.now() - lastYield > 50) {
      // Let signal handlers and the progress bar run.
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  if (signal?.aborted) throw interruption(signal);
}

async function executePooled(options: ExecuteRunsOptions): Promise<void> {
  const pool = new WorkerPool(Math.min(options.workers, options.runs.length), options.workerUrl);
  try {
    await pool.execute(options);
  } finally {
    await pool.close();
  }
}

/**
 * A set of worker threads that can run several batches of runs in turn (the benchmark keeps
 * one warm; `executeRuns` makes one per call).
 */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly online: Promise<void>;

  constructor(readonly size: number, url: URL = workerEntry()) {
    this.workers = Array.from({ length: size }, () => new Worker(url));
    this.online = Promise.all(this.workers.map((worker) => new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { ready?: boolean })?.ready) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }))).then(() => undefined);
  }

  /** Resolves once every worker has loaded the model. */
  ready(): Promise<void> {
    return this.online;
  }

  /** Computes `options.runs` on the pool, passing each record to `onRecord` as it arrives. */
  async execute(options: Omit<ExecuteRunsOptions, 'workers' | 'workerUrl'>): Promise<void> {
    const { plan, runs, signal, onRecord } = options;
    await this.online;
    const workers = this.workers;
    const size = workers.length;
    let next = 0;
    let batchId = 0;
    let outstanding = 0;
    const perWorker = new Map<Worker, number>();
    const listeners: (() => void)[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false;
        const fail = (error: Error) => {
          if (failed) return;
          failed = true;
          reject(error);
        };
        const makeBatch = (): WorkerBatch | undefined => {
          const remaining = runs.length - next;
          if (remaining <= 0) return undefined;
          const count = Math.max(1, Math.min(32, Math.ceil(remaining / (size * 4))));
          const requests = runs.slice(next, next + count).map((run) => request(plan, run));
          next += count;
          const scenarios: Record<number, Scenario> = {};
          for (const r of requests) scenarios[r.point] ??= plan.scenarios[r.point];
          return { id: batchId++, seed: plan.seed, localities: plan.localities, scenarios, runs: requests };
        };
        const feed = (worker: Worker) => {
          while (!failed && !signal?.aborted && (perWorker.get(worker) ?? 0) < 2) {
            const batch = makeBatch();
            if (!batch) break;
            perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
            outstanding++;
            worker.postMessage(batch);
          }
          if (outstanding === 0 && !failed) {
            if (signal?.aborted) fail(interruption(signal));
            else resolve();
          }
        };
        for (const worker of workers) {
          const onMessage = (reply: WorkerReply) => {
            if (failed) return;
            perWorker.set(worker, (perWorker.get(worker) ?? 1) - 1);
            outstanding--;
            if ('error' in reply) return fail(new Error(`a worker failed: ${reply.error}`));
            try {
              for (const record of reply.records) onRecord(record);
            } catch (error) {
              return fail(error as Error);
            }
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
        }
        const onAbort = () => fail(interruption(signal!));
        signal?.addEventListener('abort', onAbort, { once: true });
        listeners.push(() => signal?.removeEventListener('abort', onAbort));
        if (signal?.aborted) return fail(interruption(signal));
        for (const worker of workers) feed(worker);
      });
    } finally {
      for (const remove of listeners) remove();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

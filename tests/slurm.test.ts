/**
 * docs/CLUSTER.md's SLURM recipe on a real one-node SLURM cluster on localhost (Debian's
 * slurm-wlm and munge, started by tests/slurm/cluster.sh and stopped by their PIDs; needs root).
 * The job scripts and the submission and resubmission blocks are taken from the guide; only the
 * experiment (SWEEP=, SHARDS=, --array) and the requests (--cpus-per-task, --mem) are changed, so
 * that it fits a small machine in seconds. Checks:
 * - the 4-task array and the merge (afterany) give Parquet byte-identical to an unsharded sweep,
 *   and every task's log has its progress lines (the scripts pass --quiet);
 * - a task that fails shows as FAILED with partnersim's message in its log, the merge then refuses
 *   naming the shard and writes nothing, `sbatch --wait` of the merge exits 2, and the guide's
 *   resubmission block finishes the same bytes;
 * - a requeued task appends to its log (--open-mode=append) and finds its shard complete.
 * Under CI (CI=true) a machine without SLURM fails this test; elsewhere it is skipped, saying why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, guideBlock, partnersimBin, replaceOnce, repo, SMALL_SWEEP } from './cluster-guide.ts';

const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const onPath = (tool: string) => [...(process.env.PATH ?? '').split(delimiter), ...SBIN].some((dir) => existsSync(join(dir, tool)));

/** Why SLURM cannot run here, or undefined when it can. */
function missing(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'the test cluster needs root';
  const absent = ['slurmctld', 'slurmd', 'sbatch', 'scontrol', 'squeue', 'sinfo', 'munged', 'munge', 'unmunge', 'setpriv'].filter((t) => !onPath(t));
  return absent.length ? `${absent.join(', ')} not installed (apt-get install slurm-wlm munge)` : undefined;
}

const why = missing();
const required = process.env.CI === 'true';
const skip = why !== undefined && !required;

const SHARDS = 4;
let clusterDir = '';
let env: NodeJS.ProcessEnv = {};
let entry = '';
let unsharded = '';
/** The submission directories of the tests, removed at the end. */
const workDirs: string[] = [];
const workDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-slurm-'));
  workDirs.push(dir);
  return dir;
};

function sh(script: string, cwd: string) {
  const result = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

type Job = Record<string, string>;

/** Every job the cluster knows (finished ones stay for MinJobAge, an hour), one record per array task. */
function jobs(): Job[] {
  const { out } = sh('scontrol show job -o', '/');
  return out.split('\n').filter((line) => line.startsWith('JobId='))
    .map((line) => Object.fromEntries([...line.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1], m[2]])));
}

const ended = (job: Job) => `${job.JobState} ${job.ExitCode}`;

/** Waits until no job is pending or running; on a timeout, fails with the queue and the jobs. */
async function waitIdle(seconds: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < seconds * 1000) {
    if (sh('squeue -h -o %i', '/').out.trim() === '') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jobs still queued after ${seconds} s:\n${sh('squeue; scontrol show job', '/').out}`);
}

/** The guide's scripts, with only the experiment and the requests changed, written into `dir`. */
function writeScripts(dir: string): void {
  let sweep = guideBlock('bash', '--job-name=partnersim-sweep');
  sweep = replaceOnce(sweep, /^SWEEP=\(.*\)$/m, `SWEEP=(${SMALL_SWEEP.join(' ')})`);
  sweep = replaceOnce(sweep, /^SHARDS=16$/m, `SHARDS=${SHARDS}`);
  sweep = replaceOnce(sweep, /^#SBATCH --array=0-15$/m, `#SBATCH --array=0-${SHARDS - 1}`);
  const merge = guideBlock('bash', '--job-name=partnersim-merge');
  for (const [name, script] of [['sweep', sweep], ['merge', merge]]) {
    // Fitting a small partition, as the guide says: one core per task (the node may have two), little memory.
    const fitted = replaceOnce(replaceOnce(script, /^#SBATCH --cpus-per-task=\d+$/m, '#SBATCH --cpus-per-task=1'),
      /^#SBATCH --mem=\w+$/m, '#SBATCH --mem=500M');
    writeFileSync(join(dir, `${name}.sbatch`), fitted);
  }
}

const submission = () => guideBlock('bash', 'array=$(sbatch --parsable sweep.sbatch)');
const resubmission = () => replaceOnce(guideBlock('bash', 'todo=$('), /^SHARDS=16$/m, `SHARDS=${SHARDS}`);
const OUT = 'results/accountability-trust';

function submitted(out: string): string {
  const id = /Submitted batch job (\d+)/.exec(out)?.[1];
  if (!id) throw new Error(`no job id in: ${out}`);
  return id;
}

/** The array tasks submitted from `dir` by the array job `arrayId` (or all of them), by task id. */
function tasksOf(dir: string, arrayId?: string): Map<number, Job> {
  const tasks = jobs().filter((j) => j.WorkDir === dir && j.JobName === 'partnersim-sweep' && j.ArrayTaskId !== undefined &&
    (arrayId === undefined || j.ArrayJobId === arrayId));
  return new Map(tasks.map((j) => [Number(j.ArrayTaskId), j]));
}

const jobById = (id: string) => jobs().find((j) => j.JobId === id);
const same = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));
/** A job's log; SLURM creates none when the job could not even start (e.g. no logs/ directory). */
const log = (dir: string, name: string) => (existsSync(join(dir, 'logs', name)) ? readFileSync(join(dir, 'logs', name), 'utf8') : `(no ${name})`);

describe.skipIf(skip)(`docs/CLUSTER.md on a one-node SLURM cluster${skip ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(() => {
    if (why) throw new Error(`CI=true, and SLURM cannot run here: ${why}. .ci/run installs slurm-wlm and munge.`);
    entry = buildCli('partnersim-slurm');
    clusterDir = mkdtempSync(join(tmpdir(), 'partnersim-slurm-cluster-'));
    const bin = partnersimBin(join(clusterDir, 'bin'), entry);
    env = { ...process.env, SLURM_CONF: join(clusterDir, 'slurm.conf'), PATH: [bin, process.env.PATH, ...SBIN].join(delimiter) };
    for (const key of Object.keys(env)) if (key.startsWith('SLURM_') && key !== 'SLURM_CONF') delete env[key];
    const started = spawnSync('bash', [join(repo, 'tests', 'slurm', 'cluster.sh'), 'start', clusterDir], { env, encoding: 'utf8', timeout: 60_000 });
    if (started.status !== 0) throw new Error(`the test cluster did not start:\n${started.stdout}${started.stderr}`);
    // The reference: the same sweep unsharded, outside SLURM.
    unsharded = join(clusterDir, 'unsharded');
    const run = spawnSync(process.execPath, [entry, 'sweep', ...SMALL_SWEEP, '--out', unsharded, '--quiet'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the unsharded sweep failed: ${run.stderr}`);
  }, 120_000);

  afterAll(() => {
    if (!clusterDir) return;
    const stopped = spawnSync('bash', [join(repo, 'tests', 'slurm', 'cluster.sh'), 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    if (stopped.status !== 0) throw new Error(`the test cluster did not stop:\n${stopped.stdout}${stopped.stderr}`);
    for (const dir of [clusterDir, ...workDirs]) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs the guide\'s array and merge into the same Parquet bytes as an unsharded sweep, with progress in the logs', async () => {
    const dir = workDir();
    writeScripts(dir);
    const submit = sh(submission(), dir);
    expect(submit.code, submit.err).toBe(0);
    const mergeId = submitted(submit.out);
    await waitIdle(90);

    const tasks = tasksOf(dir);
    expect([...tasks.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const [k, task] of tasks) {
      expect(ended(task), log(dir, `partnersim-sweep-${task.ArrayJobId}_${k}.out`)).toBe('COMPLETED 0:0');
      // --quiet, yet the log says how far the task got: 36 runs / 4 shards = 9, a line per run.
      const text = log(dir, `partnersim-sweep-${task.ArrayJobId}_${k}.out`);
      expect(text.match(/^progress: \d+\/9 runs done/gm)).toHaveLength(9);
      expect(text).toContain(`shard ${k + 1}/${SHARDS} (--shard ${k + 1}/${SHARDS})`);
    }
    expect(ended(jobById(mergeId)!)).toBe('COMPLETED 0:0');
    expect(jobById(mergeId)!.Dependency ?? '(null)').toBe('(null)');
    expect(log(dir, `partnersim-merge-${mergeId}.out`)).toContain(`Merged ${SHARDS} shards: 36 runs`);
    for (const table of ['runs.parquet', 'rounds.parquet']) {
      expect(same(join(dir, OUT, 'merged', table), join(unsharded, table)), table).toBe(true);
    }
  }, 120_000);

  it('reports a failed task, refuses the merge, and the guide\'s resubmission completes the same bytes; a requeue appends to the log', async () => {
    const dir = workDir();
    writeScripts(dir);
    // Task 2 fails: a file where its shard directory should be.
    mkdirSync(join(dir, OUT), { recursive: true });
    writeFileSync(join(dir, OUT, 'shard-2'), 'not a directory\n');
    const submit = sh(submission(), dir);
    expect(submit.code, submit.err).toBe(0);
    const mergeId = submitted(submit.out);
    await waitIdle(90);

    const first = tasksOf(dir);
    const arrayId = first.get(0)!.ArrayJobId;
    expect([...first].map(([k, j]) => `${k} ${ended(j)}`).sort()).toEqual(['0 COMPLETED 0:0', '1 COMPLETED 0:0', '2 FAILED 2:0', '3 COMPLETED 0:0']);
    expect(log(dir, `partnersim-sweep-${arrayId}_2.out`)).toMatch(/shard-2: exists and is not a directory/);
    // afterany: the merge ran anyway, found the shard at fault and wrote nothing.
    expect(ended(jobById(mergeId)!)).toBe('FAILED 2:0');
    expect(log(dir, `partnersim-merge-${mergeId}.out`)).toMatch(/shard-2 has no manifest\.json/);
    expect(existsSync(join(dir, OUT, 'merged'))).toBe(false);
    const waited = sh('sbatch --wait merge.sbatch', dir);
    expect(waited.code, 'sbatch --wait exits with the merge\'s exit code').toBe(2);

    // The cause fixed, the guide's block finds the incomplete shard and resubmits it with a merge.
    rmSync(join(dir, OUT, 'shard-2'));
    const again = sh(resubmission(), dir);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('incomplete shards (task ids): 2\n');
    const mergeAgain = submitted(again.out);
    await waitIdle(90);
    const rerun = [...tasksOf(dir)].filter(([, j]) => j.ArrayJobId !== arrayId);
    expect(rerun.map(([k, j]) => `${k} ${ended(j)}`)).toEqual(['2 COMPLETED 0:0']);
    expect(ended(jobById(mergeAgain)!)).toBe('COMPLETED 0:0');
    for (const table of ['runs.parquet', 'rounds.parquet']) {
      expect(same(join(dir, OUT, 'merged', table), join(unsharded, table)), table).toBe(true);
    }
    expect(sh(resubmission(), dir).out).toContain('incomplete shards (task ids): none\n');

    // A requeued task (as after a node failure or preemption) appends to its log and finds its shard done.
    const before = log(dir, `partnersim-sweep-${arrayId}_0.out`);
    expect(sh(`scontrol requeue ${arrayId}_0`, dir).code).toBe(0);
    await waitIdle(90);
    expect(ended(tasksOf(dir, arrayId).get(0)!)).toBe('COMPLETED 0:0');
    const after = log(dir, `partnersim-sweep-${arrayId}_0.out`);
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain('Already complete');
  }, 180_000);
});

/**
 * The pod contract of docs/CLUSTER.md's Kubernetes indexed Job, without Kubernetes (no cluster
 * tooling can be installed here): the guide's two Job manifests are parsed, and each pod's shell
 * command runs as the Job controller would run it — same arguments, JOB_COMPLETION_INDEX set to
 * 0…completions−1 — with only the experiment, the paths (/app, /results) and the count changed.
 * The merge Job's command then joins the pods' directories into Parquet byte-identical to an
 * unsharded sweep. The manifests themselves (scheduling, volumes, retries) are not exercised.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCli, guideBlock, replaceOnce, SMALL_SWEEP } from './cluster-guide.ts';

const COMPLETIONS = 4;
let entry = '';
let dir = '';

beforeAll(() => {
  entry = buildCli('partnersim-kubernetes');
  dir = mkdtempSync(join(tmpdir(), 'partnersim-k8s-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Container { command: string[]; args?: string[] }
const containerOf = (job: any): Container => job.spec.template.spec.containers[0];

/** A container's shell command, pointed at this build and a local results directory. */
function local(command: string): string {
  let text = replaceOnce(command, /node \/app\/dist\/src\/cli\/main\.js/, `'${process.execPath}' '${entry}'`);
  text = text.replaceAll('/results/', `${dir}/`);
  return text;
}

function pod(command: string, env: NodeJS.ProcessEnv) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX'));
  const result = spawnSync('sh', ['-c', command], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the Kubernetes indexed Job of docs/CLUSTER.md, pod by pod', () => {
  it('gives, with JOB_COMPLETION_INDEX and --shard-count, shards that merge into the bytes of an unsharded sweep', () => {
    const sweepJob = parse(guideBlock('yaml', 'completionMode: Indexed'));
    const mergeJob = parse(guideBlock('yaml', 'name: partnersim-merge'));
    const sweep = containerOf(sweepJob);
    expect(sweep.command).toEqual(['sh', '-c']);
    const completions: number = sweepJob.spec.completions;
    let args = sweep.args![0];
    // The Job's completions are the shards' count: the guide's pods say so.
    expect(args).toContain(`--shard-count ${completions}`);
    expect(args).toContain('--out /results/accountability-trust/shard-$JOB_COMPLETION_INDEX');
    args = replaceOnce(args, /(?<= sweep ).*?(?= --workers)/, SMALL_SWEEP.join(' '));
    args = replaceOnce(args, /--shard-count \d+/, `--shard-count ${COMPLETIONS}`);
    const command = local(args);

    // Pods run in any order (here last first), each on its own index.
    for (const index of [3, 1, 0, 2]) {
      const ran = pod(command, { JOB_COMPLETION_INDEX: String(index) });
      expect(ran.code, ran.err).toBe(0);
      expect(ran.out).toContain(`shard ${index + 1}/${COMPLETIONS} (JOB_COMPLETION_INDEX=${index})`);
      const manifest = JSON.parse(readFileSync(join(dir, 'accountability-trust', `shard-${index}`, 'manifest.json'), 'utf8'));
      expect(manifest.shard).toMatchObject({ index: index + 1, count: COMPLETIONS });
    }
    // A retried pod (same arguments, same index) finds its shard done and changes nothing.
    const retried = pod(command, { JOB_COMPLETION_INDEX: '1' });
    expect(retried.code, retried.err).toBe(0);
    expect(retried.out).toContain('Already complete');

    const merge = containerOf(mergeJob);
    expect(merge.command.slice(0, 2)).toEqual(['sh', '-c']);
    const merged = pod(local(merge.command[2]), {});
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toContain(`Merged ${COMPLETIONS} shards: 36 runs`);

    const reference = join(dir, 'unsharded');
    const whole = spawnSync(process.execPath, [entry, 'sweep', ...SMALL_SWEEP, '--out', reference, '--quiet'], { encoding: 'utf8' });
    expect(whole.status, whole.stderr).toBe(0);
    for (const table of ['runs.parquet', 'rounds.parquet']) {
      const a = readFileSync(join(dir, 'accountability-trust', 'merged', table));
      expect(a.equals(readFileSync(join(reference, table))), table).toBe(true);
    }
  });

  it('refuses an index outside the Job\'s completions, naming --shard-count', () => {
    const sweep = containerOf(parse(guideBlock('yaml', 'completionMode: Indexed')));
    const command = local(replaceOnce(sweep.args![0], /(?<= sweep ).*?(?= --workers)/, SMALL_SWEEP.join(' ')));
    const ran = pod(command.replace(/shard-\$JOB_COMPLETION_INDEX/, 'outside'), { JOB_COMPLETION_INDEX: '16' });
    expect(ran.code).toBe(2);
    expect(ran.err).toContain('JOB_COMPLETION_INDEX=16 is shard 17, outside the 16 shards of --shard-count 16.');
  });
});

/**
 * Shards: shard K of N (1-based) runs the contiguous slice of run numbers
 * [⌊(K−1)·T/N⌋, ⌊K·T/N⌋) of a sweep of T runs. The slice is a function of K, N and T only, so
 * array jobs on a cluster can each take one and `partnersim merge` joins them in order.
 *
 * The index comes from `--shard K/N`, or else from the environment of an array job:
 * SLURM_ARRAY_TASK_ID (relative to SLURM_ARRAY_TASK_MIN, so --array=0-3 and --array=1-4 both
 * work; N from SLURM_ARRAY_TASK_COUNT or --shard-count), or a Kubernetes indexed Job's
 * JOB_COMPLETION_INDEX (0-based; N from --shard-count, the Job's completions).
 */
import { InputError } from '../documents/errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
  /** Where the index came from (for messages and the manifest). */
  source: string;
}

const wholeNumber = (text: string | undefined) => (text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined);

/** Resolves the shard from the options and the environment; undefined for an unsharded sweep. */
export function resolveShard(option: string | undefined, countOption: string | undefined, env: NodeJS.ProcessEnv): Shard | undefined {
  let count: number | undefined;
  // Where the count came from, for messages: the option, or the array's own size.
  let countSource = `--shard-count ${countOption}`;
  if (countOption !== undefined) {
    count = wholeNumber(countOption);
    if (!count || count < 1) throw new InputError(`--shard-count: "${countOption}" is not a whole number ≥ 1.`);
  }
  if (option !== undefined && option !== 'auto') {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(option);
    if (!match) throw new InputError(`--shard expects K/N (1-based, e.g. --shard 2/4), got "${option}".`);
    const index = Number(match[1]);
    const n = Number(match[2]);
    if (n < 1 || index < 1 || index > n) throw new InputError(`--shard ${option}: K must be between 1 and N.`);
    if (count !== undefined && count !== n) throw new InputError(`--shard ${option} and --shard-count ${count} disagree.`);
    return n === 1 ? undefined : { index, count: n, source: `--shard ${index}/${n}` };
  }
  const k8s = wholeNumber(env.JOB_COMPLETION_INDEX);
  const slurm = wholeNumber(env.SLURM_ARRAY_TASK_ID);
  let index: number | undefined;
  let source = '';
  if (k8s !== undefined) {
    index = k8s + 1;
    source = `JOB_COMPLETION_INDEX=${k8s}`;
  } else if (slurm !== undefined) {
    const min = wholeNumber(env.SLURM_ARRAY_TASK_MIN) ?? 0;
    index = slurm - min + 1;
    source = `SLURM_ARRAY_TASK_ID=${slurm}${env.SLURM_ARRAY_TASK_MIN !== undefined ? ` (from ${min})` : ''}`;
    if (count === undefined) {
      count = wholeNumber(env.SLURM_ARRAY_TASK_COUNT);
      countSource = `SLURM_ARRAY_TASK_COUNT=${env.SLURM_ARRAY_TASK_COUNT} (the size of this array job)`;
    }
  }
  if (index === undefined) {
    if (option === 'auto' || countOption !== undefined) {
      throw new InputError('--shard auto: no array index in the environment (SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX).', [],
        'Outside an array job, give the shard explicitly: --shard K/N.');
    }
    return undefined;
  }
  if (count === undefined) {
    throw new InputError(`${source} says which shard this is, but not how many there are: add --shard-count N (the array size or the Job's completions).`);
  }
  if (index < 1 || index > count) {
    throw new InputError(`${source} is shard ${index}, outside the ${count} shard${count === 1 ? '' : 's'} of ${countSource}.`, [],
      k8s === undefined ? 'A resubmitted part of an array (e.g. --array=3,7) is an array of its own: name the shard explicitly, ' +
        '--shard "$((SLURM_ARRAY_TASK_ID + 1))/N" (docs/CLUSTER.md).' : undefined);
  }
  return count === 1 ? undefined : { index, count, source };
}

/** The run numbers [first, end) of shard `shard` of `total` runs (all of them when unsharded). */
export function shardRange(total: number, shard: Pick<Shard, 'index' | 'count'> | undefined): { first: number; end: number } {
  if (!shard) return { first: 0, end: total };
  return {
    first: Math.floor(((shard.index - 1) * total) / shard.count),
    end: Math.floor((shard.index * total) / shard.count),
  };
}

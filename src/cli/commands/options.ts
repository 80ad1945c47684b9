/** Options shared by `run` and `compare`, and their parsing. */
import { Command } from 'commander';
import { parseAssignment, parseCount, parseSeed, type Assignment } from '../../documents/overrides.ts';

export interface SharedRunOptions {
  seed?: string;
  replicates?: string;
  rounds?: string;
  set: string[];
  out?: string;
  json?: boolean;
  quiet?: boolean;
  /** false with --no-charts. */
  charts?: boolean;
  /** Write into a folder that holds something other than an earlier run. */
  force?: boolean;
  allowLarge?: boolean;
}

export interface ParsedRunOptions {
  seed: string;
  replicates: number;
  rounds?: number;
  sets: Assignment[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addSharedRunOptions(command: Command): Command {
  return command
    .option('--seed <seed>', 'random seed: same seed, same results, to the bit', '1')
    .option('--replicates <n>', 'replicates (independent random streams) per scenario', '20')
    .option('--rounds <n>', 'rounds to simulate (default: the scenario\'s own; a round is a month)')
    .option('--set <path=value>', 'override one parameter, e.g. regime.accountability=1 (repeatable)', collect, [])
    .option('--out <dir>', 'output folder (default: out/ named after the scenario, regime and --set overrides); ' +
      'its earlier run is replaced as a whole')
    .option('--json', 'print summary.json to stdout and write no files (with --out: also write them there)')
    .option('--force', 'write into a folder that is not empty and holds no earlier run (files partnersim did not write are kept)')
    .option('--quiet', 'no progress bar')
    .option('--allow-large', 'start even when the estimated memory or time is above the limits (docs/LIMITS.md)')
    .option('--no-charts', 'write only trajectories.csv and summary.json (no charts or report.html; faster; ' +
      'an earlier run\'s charts in the folder are removed)');
}

export function parseSharedRunOptions(options: SharedRunOptions): ParsedRunOptions {
  return {
    seed: parseSeed(options.seed),
    replicates: parseCount(options.replicates ?? '20', '--replicates', 100000)!,
    rounds: parseCount(options.rounds, '--rounds', 100000),
    sets: options.set.map((raw) => parseAssignment(raw, '--set')),
  };
}

/** A directory-safe form of a label. */
export function slug(text: string): string {
  return text.replace(/[^\w.=-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

/**
 * A folder name from its parts (scenario, regime, overrides …): each part made directory-safe and
 * joined by "-"; a name over 100 characters is cut and given a hash of the whole, so two
 * experiments never share a folder by truncation.
 */
export function folderName(parts: readonly string[]): string {
  const name = parts.map(slug).filter(Boolean).join('-') || 'scenario';
  if (name.length <= 100) return name;
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return `${name.slice(0, 88).replace(/-+$/, '')}-${hash.toString(16).padStart(8, '0')}`;
}

/** `path=value` for each assignment, as typed. */
export const assignmentTexts = (sets: readonly Assignment[]) => sets.map((a) => `${a.path}=${a.text}`);

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
    .option('--out <dir>', 'output directory for trajectories.csv and summary.json')
    .option('--json', 'print summary.json to stdout and nothing else')
    .option('--quiet', 'no progress bar')
    .option('--allow-large', 'start even when the estimated memory or time is above the limits (docs/LIMITS.md)')
    .option('--no-charts', 'write only trajectories.csv and summary.json (no charts or report.html; faster)');
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

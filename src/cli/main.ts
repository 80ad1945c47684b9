#!/usr/bin/env node
/**
 * partnersim's command line. `main(argv, io)` runs one command in-process and returns its exit
 * code: 0 success, 2 bad usage or invalid input (nothing run, nothing written), 1 failure.
 * User errors print a message without a stack trace; set PARTNERSIM_DEBUG=1 to see stacks of
 * unexpected failures.
 */
import { Command, CommanderError } from 'commander';
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerCalibrate } from './commands/calibrate.ts';
import { registerChart } from './commands/chart.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDiscover } from './commands/discover.ts';
import { registerMeasures } from './commands/measures.ts';
import { registerMerge } from './commands/merge.ts';
import { registerRegimes } from './commands/regimes.ts';
import { registerRun } from './commands/run.ts';
import { registerSchema } from './commands/schema.ts';
import { registerScenarios } from './commands/scenarios.ts';
import { registerSensitivity } from './commands/sensitivity.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerValidate } from './commands/validate.ts';
import { registerVerify } from './commands/verify.ts';
import { formatUserError, isUserError } from '../documents/errors.ts';
import type { RunOutput } from './execute.ts';
import { processIO, type CliContext, type CliIO } from '../io/console.ts';
import { packageVersion } from '../io/version.ts';
import { writeFailure } from '../io/output.ts';
import { safeMessage } from '../documents/safe-text.ts';
import { loadRuleCompiler } from '../model/formulas.ts';

export type { CliIO } from '../io/console.ts';
export type { RunOutput } from './execute.ts';

export interface MainResult {
  code: number;
  /** In-memory results of `run` or `compare` (for charts and tests). */
  output?: RunOutput;
}

function buildProgram(ctx: CliContext, result: MainResult): Command {
  const program = new Command();
  program
    .name('partnersim')
    .description('Agent-based simulation of health-and-care partnerships under regulatory regimes: run named ' +
      'scenarios and regimes, compare them on common random numbers, and write your own scenario files.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (every command has its own, with examples)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout(text),
      writeErr: (text) => ctx.io.stderr(text),
      outputError: (text, write) => write(`partnersim: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage and examples)')
    .showSuggestionAfterError(true);
  const done = (output: RunOutput) => {
    result.output = output;
  };
  registerScenarios(program, ctx);
  registerRegimes(program, ctx);
  registerRun(program, ctx, done);
  registerCompare(program, ctx, done);
  registerChart(program, ctx);
  registerValidate(program, ctx, (code) => {
    result.code = code;
  });
  registerSweep(program, ctx, (code) => {
    result.code = code;
  });
  registerSensitivity(program, ctx, (code) => {
    result.code = code;
  });
  registerDiscover(program, ctx);
  registerCalibrate(program, ctx);
  registerMerge(program, ctx, (code) => {
    result.code = code;
  });
  registerVerify(program, ctx);
  registerMeasures(program, ctx);
  registerSchema(program, ctx);
  program.addHelpText('after', `
Examples:
  partnersim scenarios                                  list the built-in scenarios
  partnersim scenarios show gm-2017                     every parameter: value, default, ranges, meaning
  partnersim run                                        run gm-2017 (20 replicates) into out/gm-2017/
  partnersim run gm-2017 --regime system --set trust.initial=0.3
  partnersim regimes                                    list the built-in regimes
  partnersim compare organisational system devolved     regimes side by side
  partnersim chart out/gm-2017                          re-render a run's charts and report.html
  partnersim sweep gm-2017 --param regime.accountability=0:1:5 --replicates 40
                                                        a parameter sweep (Parquet; parallel, resumable)
  partnersim sensitivity gm-2017 --param trust.gain --param board.difficulty
                                                        Morris (or --method sobol) sensitivity indices
  partnersim discover out/sweep-gm-2017 --policy system --where "regret > 0"
                                                        where a policy loses: PRIM scenario discovery
  partnersim verify out/sweep-gm-2017                   check a result folder against its manifest's hashes
  partnersim measures                                   what each output column means
  partnersim validate my-scenario.yaml                  check your own scenario file
  partnersim schema > scenario.schema.json              editor completion for scenario files

Exit codes: 0 success; 2 bad usage or invalid input (nothing is run or written); 1 failure;\n130/143 a sweep or merge interrupted by Ctrl-C/SIGTERM (a sweep's finished runs are kept: add --resume).`);
  return program;
}

/** Runs the CLI with `argv` (arguments after the program name); resolves to the exit code. */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  return (await mainWithResult(argv, io)).code;
}

/** Like `main`, also returning the in-memory results of `run` and `compare`. */
export async function mainWithResult(argv: readonly string[], io: Partial<CliIO> = {}): Promise<MainResult> {
  const ctx: CliContext = { io: { ...processIO(), ...io }, argv: [...argv] };
  const result: MainResult = { code: 0 };
  const program = buildProgram(ctx, result);
  try {
    if (mayNeedRuleCompiler(argv, ctx.io.cwd)) await loadRuleCompiler();
    await program.parseAsync([...argv], { from: 'user' });
    return result;
  } catch (error) {
    return { code: reportError(error, ctx.io) };
  }
}

/**
 * Whether the command might meet a scenario with regime-rule formulas, which the model compiles
 * synchronously: the formula compiler (mathjs, about 0.4 s to load) is loaded first unless no
 * argument names an existing file or folder (a scenario file, a run or sweep folder) and none
 * mentions `rules` (`--set regime.rules.orgPenalty=…`). The built-in scenarios and regimes have
 * no formulas, so `partnersim run gm-2017` or a sweep of it starts without mathjs.
 */
function mayNeedRuleCompiler(argv: readonly string[], cwd: string): boolean {
  return argv.some((arg) => {
    if (arg.includes('rules')) return true;
    const value = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (value === '' || value.startsWith('-')) return false;
    try {
      return existsSync(resolve(cwd, value));
    } catch {
      return true;
    }
  });
}

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (isUserError(error)) {
    io.stderr(`partnersim: ${formatUserError(error)}\n`);
    return 2;
  }
  const write = writeFailure(error);
  if (write) {
    io.stderr(`partnersim: failed: ${write}\n`);
    return 1;
  }
  const detail = process.env.PARTNERSIM_DEBUG ? `\n${(error as Error).stack ?? ''}` : '';
  io.stderr(`partnersim: failed: ${safeMessage(String((error as Error)?.message ?? error))}${detail}\n`);
  return 1;
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

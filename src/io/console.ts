/**
 * What a command may touch of the outside world, injectable so tests run the CLI in-process:
 * output streams, whether they are terminals, the working directory and a clock.
 */

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for wrapping (80 when unknown). */
  columns: number;
  cwd: string;
  /** Milliseconds, for the progress bar only (never written to any output file). */
  now(): number;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns || 80,
    cwd: process.cwd(),
    now: () => performance.now(),
  };
}

/** Everything a command needs: the IO and the argument vector it was called with. */
export interface CliContext {
  io: CliIO;
  /** Arguments after the program name, as typed (recorded in summary.json). */
  argv: readonly string[];
}

/** Runs the CLI in-process (no build, no spawn) in a folder, capturing its output and exit code. */
import { main } from '../src/cli/main.ts';

export interface Captured {
  code: number;
  out: string;
  err: string;
}

export async function cliIn(cwd: string, args: readonly string[]): Promise<Captured> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    columns: 100,
    cwd,
    now: () => 0,
  });
  return { code, out, err };
}

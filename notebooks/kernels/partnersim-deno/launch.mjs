#!/usr/bin/env node
/**
 * Starts the Deno Jupyter kernel for partnersim's notebooks, with no network and nothing taken
 * from the user's home directory.
 *
 * Jupyter runs `node launch.mjs <connection file>` (see kernel.json) with the notebook's folder
 * as the working directory. This script:
 * - finds the project: the nearest folder, from the working directory up, whose node_modules
 *   holds the `deno` npm package (then the project this file sits in, then `deno` on PATH);
 * - finds the Deno binary that npm installed for this platform (`@deno/<platform>`), without
 *   needing the `deno` package's postinstall script;
 * - keeps Deno's cache in `notebooks/.deno` inside the project (or `$PARTNERSIM_DENO_DIR`) and
 *   turns off Deno's update check, so the kernel never reaches for the network;
 * - runs `deno jupyter --kernel --conn <connection file>` in the working directory, where Deno
 *   finds `notebooks/deno.json` (`"nodeModulesDir": "manual"`: npm packages come from the
 *   project's node_modules).
 *
 * Interrupts travel as Jupyter messages (`"interrupt_mode": "message"` in kernel.json), so this
 * process only passes termination signals on and exits with the kernel's status.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: node launch.mjs <connection file>');
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';

/** The nearest folder at or above `start` whose node_modules holds the deno package. */
function projectAbove(start) {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'deno', 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Deno's binary as installed by npm in `root`, or undefined. */
function denoIn(root) {
  const copied = join(root, 'node_modules', 'deno', exe);
  if (existsSync(copied)) return copied;
  try {
    // The deno package's own resolver: picks @deno/<os>-<arch>[-glibc] and returns its binary.
    const require = createRequire(join(root, 'package.json'));
    const found = require('deno/install_api.cjs').runInstall();
    if (found && existsSync(found)) return found;
  } catch {
    // fall through
  }
  return undefined;
}

const root = projectAbove(process.cwd()) ?? projectAbove(here);
const deno = (root && denoIn(root)) ?? 'deno';
if (!root) console.error('partnersim kernel: no node_modules/deno found; run `npm ci` in the project. Trying `deno` on PATH.');

const env = {
  ...process.env,
  DENO_DIR: process.env.PARTNERSIM_DENO_DIR ?? join(root ?? here, 'notebooks', '.deno'),
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
  NO_COLOR: '1',
};

const child = spawn(deno, ['jupyter', '--kernel', '--conn', connectionFile], { stdio: 'inherit', env });
child.on('error', (error) => {
  console.error(`partnersim kernel: could not start ${deno}: ${error.message}`);
  process.exit(1);
});
// Jupyter may signal the whole process group; the kernel handles interrupts by message.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

#!/usr/bin/env node
/**
 * `npm run notebooks`: executes every notebook in notebooks/ headless with Jupyter's nbconvert
 * and the project's own Deno kernel (notebooks/kernels/partnersim-deno), then writes each
 * executed notebook back in place with its outputs, minus the metadata that changes from run to
 * run, so that re-running gives byte-identical files. Fails on the first cell error.
 *
 *   npm run notebooks                      execute all, update the files
 *   npm run notebooks -- 01-speed-of-trust execute the notebooks whose names contain the text
 *   npm run notebooks -- --check           execute all, leave the files alone, and fail if the
 *                                          committed outputs differ from a fresh run
 *
 * Needs `jupyter nbconvert` (Debian: jupyter-nbconvert jupyter-client python3-ipykernel) and
 * `npm ci` (which installs Deno from npm). No network: the run points HTTP(S) proxies and the
 * npm registry at a closed local port, so anything that tried to download would fail loudly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const KERNEL = 'partnersim-deno';
const CELL_TIMEOUT_S = 120;
// nbconvert's ExecutePreprocessor, patient with output that Deno's kernel publishes after
// `idle` (see tools/late_output.py); equivalent to `jupyter nbconvert --execute` otherwise.
const EXECUTOR = 'LateOutputExecutePreprocessor';
const PREPROCESSOR = `["late_output.${EXECUTOR}"]`;

const args = process.argv.slice(2);
const check = args.includes('--check');
const filters = args.filter((a) => !a.startsWith('--'));

const notebooks = readdirSync(here)
  .filter((f) => f.endsWith('.ipynb'))
  .filter((f) => filters.length === 0 || filters.some((t) => f.includes(t)))
  .sort();
if (notebooks.length === 0) fail(`no notebooks match ${filters.join(', ')}`);

if (!existsSync(join(root, 'node_modules', 'deno', 'package.json'))) fail('node_modules/deno is missing: run `npm ci` first');
const probe = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  fail('`jupyter nbconvert` is not available. On Debian/Ubuntu: apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel (or: pip install nbconvert)');
}

const scratch = mkdtempSync(join(tmpdir(), 'partnersim-notebooks-'));
const closed = 'http://127.0.0.1:9';
const env = {
  ...process.env,
  // Find the project's kernel spec without `jupyter kernelspec install`.
  JUPYTER_PATH: [here, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  PYTHONPATH: [join(here, 'tools'), process.env.PYTHONPATH].filter(Boolean).join(delimiter),
  // Keep Jupyter's runtime files and config out of the user's home directory.
  JUPYTER_RUNTIME_DIR: join(scratch, 'runtime'),
  JUPYTER_CONFIG_DIR: join(scratch, 'config'),
  PYDEVD_DISABLE_FILE_VALIDATION: '1',
  // No network: any download attempt fails at once.
  HTTP_PROXY: closed,
  HTTPS_PROXY: closed,
  http_proxy: closed,
  https_proxy: closed,
  NPM_CONFIG_REGISTRY: `${closed}/`,
  NO_PROXY: '',
  no_proxy: '',
};

let changed = 0;
let failure;
const started = Date.now();
for (const name of notebooks) {
  const t0 = Date.now();
  const result = spawnSync('jupyter', [
    'nbconvert', '--to', 'notebook',
    `--NotebookExporter.preprocessors=${PREPROCESSOR}`,
    `--${EXECUTOR}.kernel_name=${KERNEL}`,
    `--${EXECUTOR}.timeout=${CELL_TIMEOUT_S}`,
    `--${EXECUTOR}.record_timing=False`,
    '--output-dir', scratch, '--output', name,
    join(here, name),
  ], { cwd: here, env, encoding: 'utf8' });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stderr.write(result.error ? `${result.error.message}\n` : result.stderr ?? '');
    failure = `${name}: execution failed after ${seconds} s (the cell error is above)`;
    break;
  }
  const executed = normalise(JSON.parse(readFileSync(join(scratch, name), 'utf8')));
  const errors = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error'));
  if (errors.length > 0) {
    failure = `${name}: ${errors.length} cell(s) raised: ${errors.map((e) => `${e.ename}: ${e.evalue}`).join('; ')}`;
    break;
  }
  const text = serialise(executed);
  const path = join(here, name);
  const same = readFileSync(path, 'utf8') === text;
  if (!same) changed++;
  if (!check && !same) writeFileSync(path, text);
  const status = same ? 'unchanged' : check ? 'DIFFERS from the committed file' : 'updated';
  console.log(`notebooks: ${name} ran in ${seconds} s (${executed.cells.length} cells, ${status})`);
}
rmSync(scratch, { recursive: true, force: true });
if (failure) fail(failure);
console.log(`notebooks: ${notebooks.length} executed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (check && changed > 0) fail(`${changed} notebook(s) differ from a fresh run: run \`npm run notebooks\` and commit the result`);

/** Drops what changes from run to run (timings, transient display ids) and fixes the kernelspec. */
function normalise(nb) {
  nb.metadata.kernelspec = { display_name: 'Deno (partnersim)', language: 'typescript', name: KERNEL };
  delete nb.metadata.widgets;
  delete nb.metadata.papermill;
  for (const cell of nb.cells) {
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.ExecuteTime;
      delete cell.metadata.papermill;
    }
    for (const output of cell.outputs ?? []) delete output.transient;
    // One stream output per run of console.log lines, however the kernel chunked them.
    if (cell.outputs) {
      const merged = [];
      for (const output of cell.outputs) {
        const last = merged[merged.length - 1];
        if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
          last.text = splitLines(joinText(last.text) + joinText(output.text));
        } else merged.push(output);
      }
      cell.outputs = merged;
    }
  }
  return nb;
}

function joinText(text) {
  return Array.isArray(text) ? text.join('') : text;
}

/** nbformat's multiline strings: a list of lines, each keeping its newline. */
function splitLines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** nbformat's own layout: keys sorted, one-space indent, non-ASCII kept, trailing newline. */
function serialise(value) {
  const sort = (v) => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 1)}\n`;
}

function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

/**
 * docs/OUTPUTS.md's JavaScript route to the Parquet files works as written: the documented sweep
 * command writes a folder (in-process, into a temporary directory), and the documented hyparquet
 * block, run by Node from the repository root (so `hyparquet` resolves as for a user who
 * installed it), reads it and prints what it promises. The Python and R blocks need pyarrow,
 * polars, duckdb and R's arrow, which the test machine does not have; they name the same columns,
 * checked here against the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const doc = readFileSync(join(repo, 'docs', 'OUTPUTS.md'), 'utf8');
const cwd = mkdtempSync(join(tmpdir(), 'partnersim-outputs-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const blocks = (language: string) => [...doc.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

describe('docs/OUTPUTS.md', () => {
  it('its sweep command writes the folder the examples read, and the JavaScript block reads it', async () => {
    const command = blocks('sh').find((b) => b.includes('partnersim sweep'))!;
    const args = command.trim().replace(/^npx partnersim /, '').split(/\s+/);
    const code = await main([...args, '--workers', '1', '--quiet'], {
      stdout: () => {}, stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, columns: 100, cwd,
    });
    expect(code).toBe(0);

    const [js] = blocks('js');
    const sweepDir = join(cwd, 'out', 'sweep');
    const script = js.replaceAll("'out/sweep/", `'${sweepDir.replace(/\\/g, '/')}/`);
    expect(script).not.toBe(js);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
    // Two values of trust.initial, two replicates each; 12 rounds of the whole system per run (localities need --localities).
    expect(out).toMatch(/trust\.initial 0\.3: mean final outcome 0\.\d{4} over 2 runs/);
    expect(out).toMatch(/trust\.initial 0\.7: mean final outcome 0\.\d{4} over 2 runs/);
    expect(out).toContain(`4 runs, ${4 * 12} rows of rounds`);
  }, 60_000);

  it('names columns the files have (the Python and R blocks use the same ones)', async () => {
    const columns = async (name: string) =>
      (await parquetMetadataAsync(await asyncBufferFromFile(join(cwd, 'out', 'sweep', name)))).schema.map((s) => s.name);
    const runs = await columns('runs.parquet');
    const rounds = await columns('rounds.parquet');
    for (const name of ['run', 'trust.initial', 'populationOutcome_final']) expect(runs).toContain(name);
    for (const name of ['run', 'round', 'locality', 'trustMean']) expect(rounds).toContain(name);
    for (const block of [...blocks('python'), ...blocks('r')]) expect(block).toContain('populationOutcome_final');
  });
});

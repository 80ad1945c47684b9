/**
 * Static checks of the teaching notebooks (notebooks/*.ipynb). Executing them needs Jupyter and
 * takes ~20 s, so that is `npm run notebooks`; here we only check, in milliseconds, that the
 * committed notebooks are what that command produces: valid nbformat 4, the project's Deno
 * kernel, every code cell run in order without error, and each lesson showing at least one
 * chart both as Vega-Lite and as SVG.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'notebooks');
const LESSONS = ['01-speed-of-trust.ipynb', '02-who-is-regulated.ipynb', '03-leaders.ipynb', '04-testing-a-model.ipynb'];

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
  metadata: Record<string, unknown>;
}
interface Notebook {
  nbformat: number;
  metadata: { kernelspec?: { name?: string } };
  cells: Cell[];
}

const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Notebook;

describe('teaching notebooks', () => {
  it('ships the four lessons and the kernel spec', () => {
    const present = readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
    expect(present).toEqual(LESSONS);
    const kernel = JSON.parse(readFileSync(join(dir, 'kernels', 'partnersim-deno', 'kernel.json'), 'utf8'));
    expect(kernel.argv).toContain('{connection_file}');
    expect(existsSync(join(dir, 'kernels', 'partnersim-deno', 'launch.mjs'))).toBe(true);
  });

  for (const name of LESSONS) {
    describe(name, () => {
      const nb = read(name);
      const code = nb.cells.filter((c) => c.cell_type === 'code');

      it('uses the project kernel', () => {
        expect(nb.nbformat).toBe(4);
        expect(nb.metadata.kernelspec?.name).toBe('partnersim-deno');
      });

      it('was executed top to bottom without errors, with no run-to-run metadata', () => {
        expect(code.length).toBeGreaterThan(2);
        expect(code.map((c) => c.execution_count)).toEqual(code.map((_, k) => k + 1));
        for (const cell of code) {
          expect(cell.outputs?.length ?? 0).toBeGreaterThan(0);
          expect(cell.outputs!.filter((o) => o.output_type === 'error')).toEqual([]);
          expect(cell.metadata.execution).toBeUndefined();
        }
      });

      it('imports the project source, not a registry', () => {
        const sources = code.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
        expect(sources).toContain("'../src/index.ts'");
        expect(sources).not.toMatch(/from ['"](npm:|jsr:|https?:)/);
      });

      it('shows a chart as Vega-Lite and as SVG', () => {
        const charts = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['application/vnd.vegalite.v5+json']);
        expect(charts.length).toBeGreaterThan(0);
        for (const chart of charts) expect(String([chart.data!['image/svg+xml']].flat().join(''))).toMatch(/^<svg/);
      });
    });
  }
});

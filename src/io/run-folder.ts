/**
 * One experiment per output folder (issue #13). `run` and `compare` write into a folder that is
 * new, empty or holds an earlier `run`/`compare` (its summary.json says so); anything else is
 * refused (exit 2) unless `--force`. The new run replaces the earlier run's files as a whole: its
 * charts, specs and report.html are removed before the new ones are written, so a `--no-charts`
 * run cannot leave an old report.html beside new trajectories. Only the kinds of file a run
 * writes are removed (trajectories.csv, summary.json, report.html, `NAME.vl.json`/`NAME.vg.json`
 * with their `NAME.svg`/`NAME.png`), so `--force` never deletes a user's own notes or data.
 */
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../documents/errors.ts';
import { LOCK_FILE } from './lock.ts';
import { checkOutDir } from './output.ts';

const RUN_FILES = new Set(['trajectories.csv', 'summary.json', 'report.html']);

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** True when `dir/summary.json` is the manifest of a partnersim `run` or `compare`. */
function holdsRun(dir: string): boolean {
  try {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    return summary.tool === 'partnersim' && Array.isArray(summary.labels) && typeof summary.measures === 'object';
  } catch {
    return false;
  }
}

/**
 * Refuses (InputError, exit 2) to write a run into a folder that holds something other than an
 * earlier run, unless `force`. Checked before anything runs.
 */
export function checkRunFolder(dir: string, shown: string, force: boolean): void {
  checkOutDir(dir);
  const present = entries(dir).filter((name) => name !== LOCK_FILE);
  if (present.length === 0 || force || holdsRun(dir)) return;
  const some = present.slice(0, 3).join(', ') + (present.length > 3 ? ', …' : '');
  throw new InputError(`--out ${shown}: the folder is not empty (${some}) and holds no earlier partnersim run; ` +
    'a folder holds one experiment.', [],
    'Choose another --out, or pass --force to write the run there anyway (files partnersim did not write are kept).');
}

/** The files an earlier run left that the next one replaces. */
function earlierArtefacts(dir: string): string[] {
  const names = entries(dir);
  const specs = new Set(names.filter((n) => /\.v[lg]\.json$/.test(n)).map((n) => n.replace(/\.v[lg]\.json$/, '')));
  return names.filter((name) => {
    if (RUN_FILES.has(name) || /\.v[lg]\.json$/.test(name)) return true;
    const stem = name.replace(/\.(svg|png)$/, '');
    return stem !== name && specs.has(stem);
  });
}

/** Removes the earlier run's files that `keep` (the new run's trajectories and summary) does not replace. */
export function clearEarlierRun(dir: string, keep: readonly string[] = []): void {
  const kept = new Set(keep);
  for (const name of earlierArtefacts(dir)) {
    if (kept.has(name)) continue;
    try {
      if (statSync(join(dir, name)).isFile()) unlinkSync(join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}


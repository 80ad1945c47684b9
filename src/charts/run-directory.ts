/**
 * Reading a previous run's output directory back into chart input, so charts can be redrawn
 * without re-running: `summary.json` (the full scenario after overrides — `scenario`, or
 * `scenarios` per label for a comparison — seed, replicates, rounds, labels) and
 * `trajectories.csv` (columns `label,replicate,round,year,locality,` then one per measure;
 * locality a name or `system`). Rounds may count from 0 or from 1 (completed rounds, as the
 * CLI writes them): the summary's `rounds`, else the smallest round in the file, tells which.
 * Also the CSV parser it needs, and atomic file writes (temp file + rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MEASURE_NAMES } from '../model/observe.ts';
import type { ReplicateResult } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';
import type { LabelledResults } from './data.ts';
import type { ChartInput } from './types.ts';

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const FIXED_COLUMNS = ['label', 'replicate', 'round', 'year', 'locality'] as const;

/** Input for `writeCharts` rebuilt from a run directory, plus the parsed summary.json. */
export interface RunDirectoryInput extends ChartInput {
  /** The parsed summary.json, for anything else the caller wants from it. */
  summary: Record<string, unknown>;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function labelNames(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const names = value.map((v) => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const name = o.label ?? o.name;
      if (typeof name === 'string') return name;
    }
    return null;
  });
  return names.every((n): n is string => n !== null) ? names : null;
}

/** Rebuilds trajectories (one ReplicateResult per label × replicate) from trajectories.csv text. */
export function trajectoriesFromCsv(
  text: string, scenarioName: string, seed: string | number, order?: readonly string[], expectedRounds?: number,
): LabelledResults[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new Error('trajectories.csv is empty');
  const header = rows[0].map((h) => h.trim());
  for (let k = 0; k < FIXED_COLUMNS.length; k++) {
    if (header[k] !== FIXED_COLUMNS[k]) {
      throw new Error(`trajectories.csv: expected the columns to start ${FIXED_COLUMNS.join(',')}, found ${header.slice(0, 5).join(',')}`);
    }
  }
  const measureColumns = header.slice(FIXED_COLUMNS.length);
  const unknown = measureColumns.filter((m) => !MEASURE_NAMES.includes(m));
  if (unknown.length > 0) throw new Error(`trajectories.csv: unknown measure column(s) ${unknown.join(', ')}`);

  interface Cell { round: number; locality: string; values: number[] }
  const groups = new Map<string, { label: string; replicate: number; cells: Cell[] }>();
  const labelOrder: string[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== header.length) throw new Error(`trajectories.csv line ${r + 1}: ${row.length} fields, expected ${header.length}`);
    const [label, replicateText, roundText, , locality] = row;
    const replicate = Number(replicateText);
    const round = Number(roundText);
    if (!Number.isInteger(replicate) || replicate < 0) throw new Error(`trajectories.csv line ${r + 1}: replicate "${replicateText}" is not a whole number`);
    if (!Number.isInteger(round) || round < 0) throw new Error(`trajectories.csv line ${r + 1}: round "${roundText}" is not a whole number ≥ 0`);
    const key = `${label}\u0000${replicate}`;
    let group = groups.get(key);
    if (!group) {
      group = { label, replicate, cells: [] };
      groups.set(key, group);
      if (!labelOrder.includes(label)) labelOrder.push(label);
    }
    group.cells.push({ round, locality, values: row.slice(FIXED_COLUMNS.length).map((v) => (v.trim() === '' ? NaN : Number(v))) });
  }

  // Rounds from 0 (index) or from 1 (completed rounds): the expected count decides, else the first round present.
  let minRound = Infinity;
  let maxRound = -Infinity;
  for (const g of groups.values()) {
    for (const c of g.cells) {
      if (c.round < minRound) minRound = c.round;
      if (c.round > maxRound) maxRound = c.round;
    }
  }
  let base = minRound === 0 ? 0 : 1;
  if (expectedRounds !== undefined && maxRound === expectedRounds) base = 1;
  else if (expectedRounds !== undefined && maxRound === expectedRounds - 1) base = 0;
  if (base === 1 && minRound < 1) throw new Error('trajectories.csv: rounds count from 1 here, but round 0 appears');
  for (const g of groups.values()) for (const c of g.cells) c.round -= base;

  const labels = order ? [...order.filter((l) => labelOrder.includes(l)), ...labelOrder.filter((l) => !order.includes(l))] : labelOrder;
  const out: LabelledResults[] = labels.map((label) => ({ label, results: [] as ReplicateResult[] }));
  const index = new Map(out.map((l, i) => [l.label, i]));
  const sortedGroups = [...groups.values()].sort((a, b) => a.replicate - b.replicate);
  for (const group of sortedGroups) {
    const localities = [...new Set(group.cells.map((c) => c.locality).filter((c) => c !== 'system'))].sort(byCodeUnit);
    const columns = [...localities, ...(group.cells.some((c) => c.locality === 'system') ? ['system'] : [])];
    const width = columns.length;
    const rounds = group.cells.reduce((m, c) => Math.max(m, c.round + 1), 0);
    const columnOf = new Map(columns.map((c, i) => [c, i]));
    const data: Record<string, Float64Array> = {};
    for (const m of MEASURE_NAMES) data[m] = new Float64Array(rounds * width).fill(NaN);
    for (const cell of group.cells) {
      const at = cell.round * width + columnOf.get(cell.locality)!;
      measureColumns.forEach((m, k) => { data[m][at] = cell.values[k]; });
    }
    out[index.get(group.label)!].results.push({
      scenario: scenarioName, seed: String(seed), replicate: group.replicate,
      trajectories: { measures: MEASURE_NAMES, columns, rounds, data },
    });
  }
  return out.filter((l) => l.results.length > 0);
}

/** Reads `summary.json` and `trajectories.csv` of a run directory back into chart input. */
export async function readRunDirectory(dir: string): Promise<RunDirectoryInput> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${join(dir, name)}: ${(error as Error).message}`);
    }
  };
  const summaryText = await read('summary.json');
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(summaryText) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${join(dir, 'summary.json')} is not valid JSON: ${(error as Error).message}`);
  }
  const order = labelNames(summary.labels) ?? undefined;
  const perLabel = summary.scenarios && typeof summary.scenarios === 'object' ? summary.scenarios as Record<string, Scenario> : undefined;
  const scenario = (summary.scenario ?? (perLabel && (perLabel[order?.[0] ?? ''] ?? Object.values(perLabel)[0]))) as Scenario | undefined;
  if (!scenario || typeof scenario !== 'object' || typeof scenario.name !== 'string') {
    throw new Error(`${join(dir, 'summary.json')}: no "scenario" object (the full scenario after overrides) and no "scenarios" per label`);
  }
  const seed = summary.seed;
  if (typeof seed !== 'string' && typeof seed !== 'number') throw new Error(`${join(dir, 'summary.json')}: no "seed"`);
  const rounds = typeof summary.rounds === 'number'
    ? summary.rounds
    : summary.rounds && typeof summary.rounds === 'object' ? Math.max(...Object.values(summary.rounds as Record<string, number>)) : undefined;
  const labels = trajectoriesFromCsv(await read('trajectories.csv'), scenario.name, seed, order, rounds);
  if (labels.length === 0) throw new Error(`${join(dir, 'trajectories.csv')}: no rows`);
  // Each label's own scenario, so the trust charts and the forcefield are redrawn for every label.
  if (perLabel) for (const l of labels) if (perLabel[l.label] && typeof perLabel[l.label] === 'object') l.scenario = perLabel[l.label];
  return { scenario, labels, seed, summary };
}

/** Writes a file atomically: a temp file in the same directory, then rename over the target. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function ensureDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

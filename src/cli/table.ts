/** Plain-text tables for the terminal: columns padded to their widest cell. */
import { wrap } from '../documents/format.ts';

export interface TableOptions {
  /** Right-align these column indices (numbers). */
  right?: readonly number[];
  gap?: string;
  /** Wrap the last column so lines fit this width (when the other columns leave room). */
  width?: number;
}

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const gap = options.gap ?? '  ';
  const last = header.length - 1;
  const lead = widths.slice(0, last).reduce((sum, w) => sum + w + gap.length, 0);
  const room = options.width !== undefined ? options.width - lead : Infinity;
  const wrapLast = room >= 30 && widths[last] > room;
  if (wrapLast) widths[last] = room;
  const line = (row: readonly string[]) => {
    const cells = row.map((cell, c) => {
      if (options.right?.includes(c)) return cell.padStart(widths[c]);
      return c === last ? cell : cell.padEnd(widths[c]);
    });
    if (!wrapLast) return cells.join(gap).trimEnd();
    const [first, ...more] = wrap(row[last] ?? '', room).split('\n');
    cells[last] = first ?? '';
    return [cells.join(gap).trimEnd(), ...more.map((text) => ' '.repeat(lead) + text)].join('\n');
  };
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

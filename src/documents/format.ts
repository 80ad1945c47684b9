/** Number and value formatting shared by messages, the CSV and Parquet tables, the summary and the terminal tables. */

/** Up to six significant digits, shortest form, deterministic; NA / Inf / -Inf for non-finite. */
export function sig6(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  return String(Number(x.toPrecision(6)));
}

/** `x` rounded to six significant digits as a number (non-finite values become null, as in JSON). */
export function round6(x: number): number | null {
  return Number.isFinite(x) ? (x === 0 ? 0 : Number(x.toPrecision(6))) : null;
}

/** A short human form: about four significant digits, no exponent for everyday magnitudes. */
export function short(x: number): string {
  if (!Number.isFinite(x)) return sig6(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) return x.toPrecision(3);
  if (abs >= 1000) return x.toFixed(0);
  return String(Number(x.toPrecision(4)));
}

/** How a value is shown inside an error message: strings quoted, objects as compact JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    // Cut long strings (a file's whole text can arrive here) and say how long they were.
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}… (${value.length.toLocaleString('en-GB')} characters)` : JSON.stringify(value);
  }
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  }
  return String(value);
}

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Quotes a command-line word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Wraps `text` to `width` columns, each line prefixed with `indent`; `code spans` are never broken. */
export function wrap(text: string, width: number, indent = ''): string {
  const words = (text.match(/\S*`[^`]*`\S*|\S+/g) ?? []).map((w) => w.replace(/\s+/g, ' '));
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

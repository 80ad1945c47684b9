/**
 * Text widths for headless layout. Without a canvas, Vega estimates every character at 0.8 em,
 * which truncates axis labels and legend titles that would fit. Here the advance widths come
 * from the same TrueType files the PNG renderer draws with (DejaVu Sans, regular and bold),
 * read from their `cmap` and `hmtx` tables, so headless layout matches what is drawn.
 * Kerning is ignored (a fraction of a per cent for Latin text).
 */
import { readFileSync } from 'node:fs';

export interface FontWidths {
  unitsPerEm: number;
  /** Advance width in font units of a code point, or the font's missing-glyph width. */
  advance(codePoint: number): number;
}

/** Parses the advance widths of a TrueType/OpenType (glyf or CFF) font file. */
export function parseFontWidths(data: Uint8Array): FontWidths {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const numTables = view.getUint16(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(data[rec], data[rec + 1], data[rec + 2], data[rec + 3]);
    tables.set(tag, view.getUint32(rec + 8));
  }
  const need = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(need('head') + 18);
  const numberOfHMetrics = view.getUint16(need('hhea') + 34);
  const hmtx = need('hmtx');
  const glyphAdvance = (glyph: number) => view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  const cmap = need('cmap');
  const subtables = view.getUint16(cmap + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < subtables; i++) {
    const platform = view.getUint16(cmap + 4 + 8 * i);
    const encoding = view.getUint16(cmap + 4 + 8 * i + 2);
    const offset = cmap + view.getUint32(cmap + 4 + 8 * i + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = offset;
    if (format === 4 && format4 < 0) format4 = offset;
  }
  const glyphOf = (c: number): number => {
    if (format12 >= 0) {
      const groups = view.getUint32(format12 + 12);
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = format12 + 16 + 12 * mid;
        const start = view.getUint32(at);
        const end = view.getUint32(at + 4);
        if (c < start) hi = mid - 1;
        else if (c > end) lo = mid + 1;
        else return view.getUint32(at + 8) + (c - start);
      }
      return 0;
    }
    if (format4 >= 0 && c <= 0xffff) {
      const segCount = view.getUint16(format4 + 6) / 2;
      const ends = format4 + 14;
      const starts = ends + 2 * segCount + 2;
      const deltas = starts + 2 * segCount;
      const rangeOffsets = deltas + 2 * segCount;
      for (let s = 0; s < segCount; s++) {
        if (view.getUint16(ends + 2 * s) < c) continue;
        const start = view.getUint16(starts + 2 * s);
        if (start > c) return 0;
        const delta = view.getInt16(deltas + 2 * s);
        const rangeOffset = view.getUint16(rangeOffsets + 2 * s);
        if (rangeOffset === 0) return (c + delta) & 0xffff;
        const g = view.getUint16(rangeOffsets + 2 * s + rangeOffset + 2 * (c - start));
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(codePoint: number): number {
      let w = cache.get(codePoint);
      if (w === undefined) {
        w = glyphAdvance(glyphOf(codePoint));
        cache.set(codePoint, w);
      }
      return w;
    },
  };
}

export interface MeasuredFonts {
  regular: FontWidths;
  bold: FontWidths;
}

/** Loads regular and bold widths from font files (a file whose name has "Bold" is the bold one). */
export function loadFontWidths(files: readonly string[]): MeasuredFonts | null {
  const regularFile = files.find((f) => !/bold|oblique|italic/i.test(f.split('/').pop() ?? ''));
  if (!regularFile) return null;
  const boldFile = files.find((f) => /bold/i.test(f.split('/').pop() ?? '') && !/oblique|italic/i.test(f.split('/').pop() ?? ''));
  const regular = parseFontWidths(readFileSync(regularFile));
  return { regular, bold: boldFile ? parseFontWidths(readFileSync(boldFile)) : regular };
}

/** Width in pixels of `text` at `size` px. */
export function textWidth(fonts: MeasuredFonts, text: string, size: number, bold: boolean): number {
  const font = bold ? fonts.bold : fonts.regular;
  let units = 0;
  for (const ch of text) units += font.advance(ch.codePointAt(0)!);
  return (units * size) / font.unitsPerEm;
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** A replacement for Vega's `textMetrics.width(item, text)` backed by real font widths. */
export function vegaTextWidth(fonts: MeasuredFonts): (item: TextItem, text?: unknown) => number {
  return (item, text) => {
    const value = text == null ? item.text : text;
    if (value == null) return 0;
    const str = Array.isArray(value) ? value.join(' ') : String(value);
    const size = item.fontSize ?? 11;
    if (!(size > 0) || str === '') return 0;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
    return textWidth(fonts, str, size, bold);
  };
}

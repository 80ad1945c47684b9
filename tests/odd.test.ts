/**
 * docs/ODD.md must stay true to the code: its generated tables must equal what
 * scripts/odd-tables.ts produces from the registries now (so changing a parameter, measure,
 * organisation kind, leader type or the gm-2017 localities without `npm run docs` fails here),
 * every parameter path must be described in the prose, and every thesis section it cites
 * (§x.y) must exist as a heading in the thesis text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARAMETERS } from '../src/model/parameters.ts';
import { MEASURES } from '../src/model/observe.ts';
import {
  extractBlock, generatedBlocks, measureTable, parameterTable, replaceBlock, updateDocument,
} from '../scripts/odd-tables.ts';

const ODD_PATH = fileURLToPath(new URL('../docs/ODD.md', import.meta.url));
// In CI the repository is a fresh clone with the shared folder at ../shared from the repo root.
const THESIS_PATH = fileURLToPath(new URL('../../shared/seeds/001_9bdf2a6360b70127.normalised.txt', import.meta.url));

const odd = readFileSync(ODD_PATH, 'utf8');

/** The ODD with every generated block removed: the hand-written prose only. */
function prose(text: string): string {
  let out = text;
  for (const name of Object.keys(generatedBlocks())) out = replaceBlock(out, name, '');
  return out;
}

describe('docs/ODD.md generated tables', () => {
  it('embeds the parameter table generated from PARAMETERS', () => {
    expect(extractBlock(odd, 'parameters'), 'run `npm run docs` to regenerate docs/ODD.md').toBe(parameterTable());
  });

  it('embeds the measure table generated from MEASURES', () => {
    expect(extractBlock(odd, 'measures'), 'run `npm run docs` to regenerate docs/ODD.md').toBe(measureTable());
  });

  it('embeds every other generated table (kinds, leader types, gm-2017) up to date', () => {
    for (const [name, content] of Object.entries(generatedBlocks())) {
      expect(extractBlock(odd, name), `block "${name}": run \`npm run docs\``).toBe(content);
    }
    expect(updateDocument(odd)).toBe(odd);
  });

  it('lists one table row per parameter and per measure', () => {
    const rows = (table: string) => table.split('\n').slice(2);
    expect(rows(parameterTable())).toHaveLength(PARAMETERS.length);
    expect(rows(measureTable())).toHaveLength(MEASURES.length);
    // The separator row has as many cells as the header: no unescaped pipe broke a row.
    for (const table of [parameterTable(), measureTable()]) {
      const cells = (line: string) => line.split(/(?<!\\)\|/).length;
      const [header, ...rest] = table.split('\n');
      for (const line of rest) expect(cells(line), line).toBe(cells(header));
    }
  });
});

describe('docs/ODD.md prose', () => {
  const text = prose(odd);

  it.each(PARAMETERS.map((spec) => spec.path))('describes parameter `%s` outside the generated table', (path) => {
    expect(extractBlock(odd, 'parameters')).toContain(`\`${path}\``);
    // The whole dotted path as a token (in inline code or in an equation block), not a prefix of a longer path.
    const token = new RegExp(`(?<![\\w.])${path.replace(/\./g, '\\.')}(?![\\w.]*\\w)`);
    expect(token.test(text), `docs/ODD.md prose never mentions ${path}`).toBe(true);
  });

  it('names every measure', () => {
    for (const spec of MEASURES) expect(odd).toContain(`\`${spec.name}\``);
  });
});

/** Section numbers of heading lines in the thesis body (table-of-contents lines excluded). */
function thesisHeadings(text: string): Set<string> {
  const headings = new Set<string>();
  for (const line of text.split('\n')) {
    if (/\.{4,}/.test(line)) continue; // table of contents: dot leaders and a page number
    const match = /^\s*(\d+(?:\.\d+)+)\.?\s+[A-Z‘“'"]/u.exec(line);
    if (match) headings.add(match[1]);
  }
  return headings;
}

/** Every §x.y cited in the ODD, except sections of the model brief ("Brief §3.4"). */
function citedSections(text: string): string[] {
  const cited = new Set<string>();
  for (const match of text.matchAll(/(Brief\s*)?§\s?(\d+(?:\.\d+)+)/g)) {
    if (!match[1]) cited.add(match[2]);
  }
  return [...cited].sort();
}

describe('thesis citations in docs/ODD.md', () => {
  const available = existsSync(THESIS_PATH);
  const name = available
    ? 'every cited Thesis §x.y is a section heading of the thesis'
    : `every cited Thesis §x.y is a section heading of the thesis — SKIPPED: thesis text not found at ${THESIS_PATH}`;
  if (!available) console.warn(`odd.test.ts: skipping the thesis section check, ${THESIS_PATH} is absent`);

  it.skipIf(!available)(name, () => {
    const headings = thesisHeadings(readFileSync(THESIS_PATH, 'utf8'));
    expect(headings.size).toBeGreaterThan(100);
    const cited = citedSections(odd);
    expect(cited.length).toBeGreaterThan(20);
    const missing = cited.filter((section) => !headings.has(section));
    expect(missing, `sections cited in docs/ODD.md but absent from the thesis headings`).toEqual([]);
  });
});

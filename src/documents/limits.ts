/**
 * Input limits of scenario documents, and the checks that keep a hostile or broken document an
 * input error (exit 2) rather than a crash: nesting depth (checked on the text before a parser
 * recurses, and on the parsed value before the checker, merge or clone recurse), text size, and
 * how user-supplied strings are shown in messages (truncated, control characters removed, so a
 * file cannot flood or drive the terminal). Browser-safe: no Node built-ins.
 */
import { InputError } from './errors.ts';
import { safeText } from './safe-text.ts';

export { hasControlCharacter, MAX_SHOWN_CHARS, safeMessage, safeText } from './safe-text.ts';

/** Largest scenario document read, in characters (16,000 localities of a typical size). */
export const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;
/** Deepest nesting of lists and mappings; the schema itself is 5 deep (localities[].organisations[].leader.control). */
export const MAX_NESTING = 32;
/** Refuses a document longer than MAX_DOCUMENT_CHARS (before parsing it). */
export function checkDocumentSize(text: string, name: string): void {
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new InputError(`${name} is ${text.length.toLocaleString('en-GB')} characters long; scenario files are limited to ` +
      `${MAX_DOCUMENT_CHARS.toLocaleString('en-GB')} (4 MiB).`, [],
    'A scenario this large is most likely not a scenario file. Split shared parts into a base file (`extends: base.yaml`).');
  }
}

/**
 * The deepest nesting of brackets and YAML block structure in `text`, without parsing it: flow
 * brackets outside quotes and comments, plus on each line the compact `- - -` and `? ` indicators
 * and the indentation levels open above it. An over-estimate at worst (a block scalar's indented
 * lines count as levels), so it only ever refuses documents far deeper than any real scenario.
 * Returns the depth and the 1-based line where MAX_NESTING was first passed (0 when it was not).
 */
export function textNesting(text: string): { depth: number; line: number; field?: string } {
  let flow = 0;
  let field: string | undefined;
  let passedField: string | undefined;
  const jsonLike = /^\s*\{/.test(text);
  let max = 0;
  let line = 1;
  let passedAt = 0;
  const indents: number[] = [];
  let atLineStart = true;
  const note = (depth: number) => {
    if (depth > max) max = depth;
    if (depth > MAX_NESTING && passedAt === 0) {
      passedAt = line;
      passedField = field;
    }
  };
  for (let i = 0; i < text.length; i++) {
    let ch = text[i];
    if (atLineStart) {
      atLineStart = false;
      if (flow === 0) {
        let indent = 0;
        while (text[i + indent] === ' ') indent++;
        const next = text[i + indent];
        if (next !== undefined && next !== '\n' && next !== '\r' && next !== '#') {
          if (indent === 0) {
            const key = /^"?([^\s"':#[\]{},][^"':#\n]*?)"?\s*:(\s|$)/.exec(text.slice(i, i + 200));
            if (key) field = key[1];
          }
          while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
          indents.push(indent);
          let compact = 0;
          let k = i + indent;
          while ((text[k] === '-' || text[k] === '?') && (text[k + 1] === ' ' || text[k + 1] === '\t')) {
            compact++;
            k += 2;
            while (text[k] === ' ' || text[k] === '\t') k++;
          }
          note(indents.length + compact);
          i = k;
          ch = text[i];
          if (ch === undefined) break;
        }
      }
    }
    if (ch === '\n') {
      line++;
      atLineStart = true;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if ((ch === '"' || ch === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      // A quoted scalar (JSON string or YAML quoted): skip to its closing quote.
      const open = i;
      for (i++; i < text.length && text[i] !== ch; i++) {
        if (ch === '"' && text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
      if (jsonLike && flow === 1 && /^\s*:/.test(text.slice(i + 1, i + 20))) field = text.slice(open + 1, Math.min(i, open + 60));
    } else if (ch === '[' || ch === '{') {
      flow++;
      note(indents.length + flow);
    } else if ((ch === ']' || ch === '}') && flow > 0) {
      flow--;
    }
  }
  return { depth: max, line: passedAt, field: passedField };
}

/** Refuses a text nested deeper than MAX_NESTING, before a recursive parser sees it. */
export function checkTextNesting(text: string, name: string): void {
  const { depth, line, field } = textNesting(text);
  if (depth <= MAX_NESTING) return;
  throw tooDeep(name, field ? `${field} (line ${line})` : `line ${line}`);
}

function tooDeep(name: string, where: string): InputError {
  return new InputError(`${name} is not a valid scenario (1 problem):`, [{
    path: safeText(where, 60),
    message: `lists or mappings are nested more than ${MAX_NESTING} levels deep; no scenario field needs more than 6`,
  }], 'Nothing was run. `partnersim schema` describes every field and its shape.');
}

/**
 * Refuses a parsed value nested deeper than MAX_NESTING, naming the path where it passed the
 * limit. Iterative (an explicit stack), so it cannot itself run out of stack.
 */
export function checkValueNesting(value: unknown, name: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: node, path, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_NESTING) throw tooDeep(name, path || '(scenario)');
    if (Array.isArray(node)) node.forEach((item, k) => stack.push({ value: item, path: `${path}[${k}]`, depth: depth + 1 }));
    else for (const [key, item] of Object.entries(node)) stack.push({ value: item, path: path ? `${path}.${safeText(key, 40)}` : safeText(key, 40), depth: depth + 1 });
  }
}

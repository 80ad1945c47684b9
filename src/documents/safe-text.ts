/**
 * How user-supplied text is shown in messages: control and bidi characters removed (a file or a
 * name cannot drive the terminal), long values cut with their length said. No imports, so any
 * module (errors included) can use it.
 */

/** Longest string value shown inside a message before it is cut. */
export const MAX_SHOWN_CHARS = 80;

/** `text` made safe to print: control and bidi characters removed, cut to `max` characters. */
export function safeText(text: string, max = MAX_SHOWN_CHARS): string {
  // C0 (keeping tab and newline out too: a value is shown on one line), DEL, C1, bidi overrides.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}… (${clean.length.toLocaleString('en-GB')} characters)` : clean;
}

/** Whether `text` holds a control character (refused in names: they go to terminals, CSV and charts). */
export function hasControlCharacter(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

/** A multi-line message made safe to print: each line cleaned and cut, at most `maxLines` lines. */
export function safeMessage(text: string, maxLine = 400, maxLines = 60): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, maxLines).map((line) => safeText(line, maxLine));
  if (lines.length > maxLines) shown.push(`… ${(lines.length - maxLines).toLocaleString('en-GB')} more lines`);
  return shown.join('\n');
}


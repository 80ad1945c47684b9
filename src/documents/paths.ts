/**
 * File names without node:path, so the document layer runs in a browser: a document's name (a
 * path from the CLI, a dropped file's name in the studio) is shown in messages and names the
 * scenario. POSIX rules, the same results as node:path's posix basename and extname.
 */

/** The last segment of `path` (`/a/b/low-trust.yaml` → `low-trust.yaml`); trailing slashes ignored. */
export function fileName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The extension of the last segment, dot included (`.yaml`); empty for `.hidden`, `..` or no dot. */
export function extension(path: string): string {
  const name = fileName(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 || name === '..' ? '' : name.slice(dot);
}

/** The last segment without its extension (`low-trust.yaml` → `low-trust`). */
export function stem(path: string): string {
  const name = fileName(path);
  return name.slice(0, name.length - extension(path).length);
}

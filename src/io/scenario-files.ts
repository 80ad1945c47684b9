/**
 * Scenario files on disk: what a user types (a built-in name or a JSON/YAML file path) to a
 * validated scenario. The document layer parses and checks; this reads the files, follows
 * `extends` to other files relative to the extending one, and refuses cycles of real paths.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  checkExtendsChain, looksLikeFile, parseScenarioText, scenarioFromDocument, shown, unknownScenario,
  type FileResolver, type ResolvedScenario,
} from '../documents/document.ts';
import { InputError } from '../documents/errors.ts';
import { MAX_DOCUMENT_CHARS, safeText } from '../documents/limits.ts';
import { builtInScenario, isBuiltInScenario } from '../scenarios/index.ts';

/** Resolves a built-in scenario name or a scenario file path (relative to `cwd`). */
export function resolveScenario(ref: string, cwd: string): ResolvedScenario {
  if (isBuiltInScenario(ref)) return { scenario: builtInScenario(ref), origin: 'built-in', bases: [] };
  if (looksLikeFile(ref)) return loadScenarioFile(resolve(cwd, ref));
  throw unknownScenario(ref);
}

/** `extends: other.yaml` is read relative to the file that says it. */
const resolveFile: FileResolver = (ref, from, chain) => loadScenarioFile(resolve(dirname(from), ref), chain);

/** Reads, parses, checks and resolves one scenario file (and whatever it extends). */
export function loadScenarioFile(file: string, chain: readonly string[] = []): ResolvedScenario {
  const real = readableRealPath(file, chain);
  checkExtendsChain(real, chain, file);
  const document = parseScenarioText(readText(file), file);
  return scenarioFromDocument(document, file, [...chain, real], { resolveFile });
}

function readableRealPath(file: string, chain: readonly string[]): string {
  const from = chain.length > 0 ? ` (extended by ${safeText(shown(chain[chain.length - 1]))})` : '';
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    throw new InputError(`cannot read scenario file "${safeText(file)}"${from}: ${systemReason(error)}`);
  }
  // A FIFO, a device (/dev/zero, /dev/urandom) or a socket would block or never end: only regular files are read.
  const kind = fileKind(real);
  if (kind !== 'file') throw new InputError(`cannot read scenario file "${safeText(file)}"${from}: it is ${kind}, not a regular file.`);
  return real;
}

function fileKind(path: string): string {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return 'file';
    if (stat.isDirectory()) return 'a directory';
    if (stat.isFIFO()) return 'a named pipe (FIFO)';
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
    if (stat.isSocket()) return 'a socket';
    return 'not a file';
  } catch (error) {
    return `unreadable (${systemReason(error)})`;
  }
}

/** Reads at most MAX_DOCUMENT_CHARS bytes and one more, so a file that reports no size (under /proc) is bounded too. */
function readText(file: string): string {
  const limit = MAX_DOCUMENT_CHARS + 1;
  let fd = -1;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) throw new InputError(`cannot read scenario file "${safeText(file)}": it is not a regular file.`);
    const buffer = Buffer.alloc(Math.min(limit, Math.max(fstatSync(fd).size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length >= limit) break;
        const grown = Buffer.alloc(Math.min(limit, chunk.length * 2));
        chunk.copy(grown, 0, 0, length);
        chunk = grown;
      }
      const read = readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_DOCUMENT_CHARS) {
      throw new InputError(`scenario file "${safeText(file)}" is larger than ${MAX_DOCUMENT_CHARS.toLocaleString('en-GB')} bytes (4 MiB), ` +
        'the limit for scenario files.', [], 'Split shared parts into a base file (`extends: base.yaml`).');
    }
    return chunk.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read scenario file "${safeText(file)}": ${systemReason(error)}`);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    default: return safeText((error as Error).message, 200);
  }
}

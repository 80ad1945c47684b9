/**
 * Scenario files on disk: what a user types (a built-in name or a JSON/YAML file path) to a
 * validated scenario. The document layer parses and checks; this reads the files, follows
 * `extends` to other files relative to the extending one, and refuses cycles of real paths.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  checkExtendsChain, looksLikeFile, parseScenarioText, scenarioFromDocument, shown, unknownScenario,
  type FileResolver, type ResolvedScenario,
} from '../documents/document.ts';
import { InputError } from '../documents/errors.ts';
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
  try {
    return realpathSync(file);
  } catch (error) {
    const from = chain.length > 0 ? ` (extended by ${shown(chain[chain.length - 1])})` : '';
    throw new InputError(`cannot read scenario file "${file}"${from}: ${systemReason(error)}`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read scenario file "${file}": ${systemReason(error)}`);
  }
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    default: return (error as Error).message;
  }
}

/**
 * User errors: anything the person at the keyboard can fix (a wrong name, a bad value, an
 * unreadable file). They exit with code 2 and print their message without a stack trace.
 */
import { RuleError } from '../model/formulas.ts';
import { ScenarioError, type ScenarioProblem } from '../model/scenario.ts';
import { safeMessage } from './safe-text.ts';

export class InputError extends Error {
  /**
   * @param message one line saying what is wrong (e.g. "my.yaml is not a valid scenario:")
   * @param problems field-level problems, each with its path
   * @param hint what to do next
   */
  constructor(message: string, readonly problems: readonly ScenarioProblem[] = [], readonly hint?: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Whether `error` is the user's to fix (exit code 2) rather than a failure (exit code 1). */
export function isUserError(error: unknown): boolean {
  return error instanceof InputError || error instanceof ScenarioError || error instanceof RuleError;
}

/** Problems listed in a message; the rest are counted (a generated file can have thousands). */
const MAX_PROBLEMS_SHOWN = 50;

/**
 * The text printed for a user error: message, one problem per line, then the hint. Every line is
 * cleaned of control characters and cut (docs/LIMITS.md), so no file content can flood or drive
 * the terminal.
 */
export function formatUserError(error: unknown): string {
  if (error instanceof InputError) {
    return safeMessage([error.message, ...problemLines(error.problems), ...(error.hint ? [error.hint] : [])].join('\n'));
  }
  if (error instanceof ScenarioError) {
    return safeMessage(['the scenario is not valid:', ...problemLines(error.problems)].join('\n'));
  }
  return safeMessage((error as Error).message);
}

function problemLines(problems: readonly ScenarioProblem[]): string[] {
  const lines = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  ${p.path}: ${p.message}`);
  if (problems.length > MAX_PROBLEMS_SHOWN) lines.push(`  … and ${problems.length - MAX_PROBLEMS_SHOWN} more problems`);
  return lines;
}

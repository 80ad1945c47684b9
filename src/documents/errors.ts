/**
 * User errors: anything the person at the keyboard can fix (a wrong name, a bad value, an
 * unreadable file). They exit with code 2 and print their message without a stack trace.
 */
import { RuleError } from '../model/rules.ts';
import { ScenarioError, type ScenarioProblem } from '../model/scenario.ts';

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

/** The text printed for a user error: message, one problem per line, then the hint. */
export function formatUserError(error: unknown): string {
  if (error instanceof InputError) {
    const lines = [error.message, ...error.problems.map((p) => `  ${p.path}: ${p.message}`)];
    if (error.hint) lines.push(error.hint);
    return lines.join('\n');
  }
  if (error instanceof ScenarioError) {
    return ['the scenario is not valid:', ...error.problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n');
  }
  return (error as Error).message;
}

/**
 * What the model needs to know about regime-rule formulas without loading the formula compiler
 * (rules.ts, which loads mathjs: about 650 modules and 0.4 s). The compiler registers itself here
 * when rules.ts is imported; `loadRuleCompiler()` imports it on demand. A scenario without
 * `regime.rules` never needs it, so a sweep worker or `partnersim run gm-2017` starts without
 * mathjs; whoever runs a scenario with formulas loads the compiler first (`prepareRuleCompiler`),
 * and the package index (src/index.ts) loads it eagerly, so the library API is synchronous as before.
 */
export class RuleError extends Error {}

/** Longest formula accepted: bounds the syntax tree, so no recursive step on it can run out of stack. */
export const MAX_RULE_CHARS = 1000;
/** Deepest bracket nesting accepted in a formula. */
export const MAX_RULE_NESTING = 32;

export interface CompiledRule {
  source: string;
  variables: readonly string[];
  evaluate(scope: Record<string, number>): number;
}

export type RuleCompiler = (source: string, variables: readonly string[], where: string) => CompiledRule;

/** Variables available to `regime.rules.orgPenalty`. */
export const ORG_PENALTY_VARIABLES = ['shortfall', 'severity', 'accountability', 'performance', 'target', 'exposure'] as const;
/** Variables available to `regime.rules.collectiveDelivery`. */
export const COLLECTIVE_DELIVERY_VARIABLES = ['meanShare', 'minShare', 'decisionRate', 'threshold', 'plan', 'meanTrust', 'stage'] as const;

let compiler: RuleCompiler | null = null;

/** Called by rules.ts when it is loaded. */
export function registerRuleCompiler(compile: RuleCompiler): void {
  compiler ??= compile;
}

export function ruleCompilerLoaded(): boolean {
  return compiler !== null;
}

/** The formula compiler; throws if it has not been loaded (see `loadRuleCompiler`). */
export function ruleCompiler(): RuleCompiler {
  if (!compiler) {
    throw new Error('the formula compiler for regime.rules is not loaded: `await loadRuleCompiler()` first ' +
      '(or import the package index, which loads it)');
  }
  return compiler;
}

/** Loads the formula compiler (mathjs) if it is not loaded yet. */
export async function loadRuleCompiler(): Promise<void> {
  if (!compiler) await import('./rules.ts');
}

/** Whether `scenario` (anything scenario-shaped) has a formula under `regime.rules`. */
export function hasRuleFormulas(scenario: unknown): boolean {
  const rules = (scenario as { regime?: { rules?: unknown } } | null | undefined)?.regime?.rules;
  if (rules === null || typeof rules !== 'object') return false;
  return Object.values(rules).some((source) => typeof source === 'string');
}

/** Loads the formula compiler if any of `scenarios` has formulas; otherwise does nothing. */
export async function prepareRuleCompiler(scenarios: Iterable<unknown>): Promise<void> {
  if (compiler) return;
  for (const scenario of scenarios) {
    if (hasRuleFormulas(scenario)) return loadRuleCompiler();
  }
}

/**
 * Sandboxed formulas for user-written regime rules. A rule is a mathjs expression over named
 * model quantities. It is parsed once, its syntax tree is checked against a whitelist (numbers,
 * booleans, arithmetic, comparison, logic, the conditional operator and a few pure functions)
 * and only then compiled. Anything else — assignment, function definition, property access,
 * matrices, strings, units, `import`, `evaluate`, `createUnit` or an unknown symbol — is
 * rejected with a message that says what was found and what is allowed.
 */
// The number-only build: rules work on plain numbers, and it loads in half the time of the full build.
import { create, all, type MathNode } from 'mathjs/number';
import { MAX_RULE_CHARS, MAX_RULE_NESTING, RuleError, registerRuleCompiler, type CompiledRule } from './formulas.ts';

export {
  RuleError, MAX_RULE_CHARS, MAX_RULE_NESTING, ORG_PENALTY_VARIABLES, COLLECTIVE_DELIVERY_VARIABLES,
  loadRuleCompiler, ruleCompilerLoaded, type CompiledRule,
} from './formulas.ts';

const math = create(all);

const ALLOWED_FUNCTIONS = new Set([
  'min', 'max', 'abs', 'sqrt', 'exp', 'log', 'pow', 'floor', 'ceil', 'round', 'sign',
]);
/** Operator symbols (mathjs `OperatorNode.op`); element-wise, factorial and transpose are excluded. */
const ALLOWED_OPERATORS = new Set([
  '+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', 'and', 'or', 'not', 'xor',
]);

/** How many arguments each allowed function takes: [fewest, most]. */
const ARITY: Record<string, [number, number]> = {
  min: [1, Infinity], max: [1, Infinity], abs: [1, 1], sqrt: [1, 1], exp: [1, 1], log: [1, 2], pow: [2, 2],
  floor: [1, 1], ceil: [1, 1], round: [1, 2], sign: [1, 1],
};

const shownSource = (source: string) => JSON.stringify(source.length > 80 ? `${source.slice(0, 79)}…` : source);

function bracketDepth(source: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of source) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return max;
}

/** Checks and compiles `source`; `variables` are the only symbols it may read. */
export function compileRule(source: string, variables: readonly string[], where: string): CompiledRule {
  const shown = shownSource(source);
  if (source.length > MAX_RULE_CHARS) {
    throw new RuleError(`${where}: the formula is ${source.length} characters long; the limit is ${MAX_RULE_CHARS}`);
  }
  if (bracketDepth(source) > MAX_RULE_NESTING) {
    throw new RuleError(`${where}: brackets in ${shown} are nested more than ${MAX_RULE_NESTING} deep`);
  }
  let tree: MathNode;
  try {
    tree = math.parse(source);
  } catch (error) {
    throw new RuleError(`${where}: cannot parse ${shown}: ${String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200)}`);
  }
  const allowedSymbols = new Set(variables);
  tree.traverse((node, _path, parent) => {
    const problem = checkNode(node, parent, allowedSymbols);
    if (problem) {
      throw new RuleError(`${where}: ${problem} in ${shown}. Allowed: numbers, + - * / ^, comparisons, and/or/not, ` +
        `a ? b : c, functions ${[...ALLOWED_FUNCTIONS].join(', ')}; variables ${variables.join(', ')}.`);
    }
  });
  const code = tree.compile();
  const evaluate = (scope: Record<string, number>): number => {
    let value: unknown;
    try {
      value = code.evaluate({ ...scope });
    } catch (error) {
      throw new RuleError(`${where}: ${shown} failed: ${String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200)}`);
    }
    const number = typeof value === 'boolean' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new RuleError(`${where}: ${shown} gave ${String(value).slice(0, 40)}, not a finite number`);
    }
    return number;
  };
  const key = `${where}\u0000${variables.join(',')}\u0000${source}`;
  if (!sampled.has(key)) {
    checkOnSamples(evaluate, variables, where, shown);
    if (sampled.size >= 256) sampled.clear();
    sampled.add(key);
  }
  return { source, variables, evaluate };
}

/**
 * Values each variable takes on the corners and middle of its range (shares, rates and
 * severities in [0, 1]; `plan` 0 or 1; board `stage` 0 to 4). A formula is evaluated on every
 * combination when it is checked, so what would fail during a run (a division by zero at
 * shortfall 0, `min()`, a huge power) fails `validate` instead, before anything runs.
 */
/** Formulas already tried on the samples (a sweep compiles the same rule once per run). */
const sampled = new Set<string>();
const SAMPLE_VALUES: Record<string, readonly number[]> = { plan: [0, 1], stage: [0, 2, 4] };
const DEFAULT_SAMPLES = [0, 0.5, 1];

function checkOnSamples(evaluate: (scope: Record<string, number>) => number, variables: readonly string[], where: string, shown: string): void {
  const scope: Record<string, number> = {};
  const visit = (k: number): void => {
    if (k === variables.length) {
      try {
        evaluate(scope);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        const at = variables.map((v) => `${v}=${scope[v]}`).join(', ');
        throw new RuleError(`${error.message} at ${at} (a formula is tried on sample values of its variables before anything runs)`);
      }
      return;
    }
    for (const value of SAMPLE_VALUES[variables[k]] ?? DEFAULT_SAMPLES) {
      scope[variables[k]] = value;
      visit(k + 1);
    }
  };
  visit(0);
}

function checkNode(node: MathNode, parent: MathNode | null, symbols: Set<string>): string | null {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      return typeof value === 'number' || typeof value === 'boolean' ? null : `constant ${JSON.stringify(value)?.slice(0, 40)} is not a number`;
    }
    case 'ParenthesisNode':
    case 'ConditionalNode':
      return null;
    case 'OperatorNode': {
      const op = (node as unknown as { op: string }).op;
      return ALLOWED_OPERATORS.has(op) ? null : `operator "${op}" is not allowed`;
    }
    case 'FunctionNode': {
      const fn = (node as unknown as { fn: MathNode }).fn;
      const name = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : '';
      if (!ALLOWED_FUNCTIONS.has(name)) return `function "${(name || fn.toString()).slice(0, 40)}" is not allowed`;
      const args = (node as unknown as { args: MathNode[] }).args.length;
      const [fewest, most] = ARITY[name];
      if (args < fewest || args > most) {
        const wanted = most === Infinity ? `at least ${fewest}` : fewest === most ? `${fewest}` : `${fewest} or ${most}`;
        return `${name}() takes ${wanted} argument${most === 1 ? '' : 's'}, not ${args}`;
      }
      return null;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
      if (isCallee) return null; // checked by the FunctionNode case
      return symbols.has(name) ? null : `unknown symbol "${name.slice(0, 40)}"`;
    }
    default:
      return `${node.type.replace(/Node$/, '').toLowerCase()} expressions are not allowed`;
  }
}

registerRuleCompiler(compileRule);

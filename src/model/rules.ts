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

const math = create(all);

const ALLOWED_FUNCTIONS = new Set([
  'min', 'max', 'abs', 'sqrt', 'exp', 'log', 'pow', 'floor', 'ceil', 'round', 'sign',
]);
/** Operator symbols (mathjs `OperatorNode.op`); element-wise, factorial and transpose are excluded. */
const ALLOWED_OPERATORS = new Set([
  '+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', 'and', 'or', 'not', 'xor',
]);

export class RuleError extends Error {}

export interface CompiledRule {
  source: string;
  variables: readonly string[];
  evaluate(scope: Record<string, number>): number;
}

/** Checks and compiles `source`; `variables` are the only symbols it may read. */
export function compileRule(source: string, variables: readonly string[], where: string): CompiledRule {
  let tree: MathNode;
  try {
    tree = math.parse(source);
  } catch (error) {
    throw new RuleError(`${where}: cannot parse "${source}": ${(error as Error).message}`);
  }
  const allowedSymbols = new Set(variables);
  tree.traverse((node, _path, parent) => {
    const problem = checkNode(node, parent, allowedSymbols);
    if (problem) {
      throw new RuleError(`${where}: ${problem} in "${source}". Allowed: numbers, + - * / ^, comparisons, and/or/not, ` +
        `a ? b : c, functions ${[...ALLOWED_FUNCTIONS].join(', ')}; variables ${variables.join(', ')}.`);
    }
  });
  const code = tree.compile();
  return {
    source,
    variables,
    evaluate(scope) {
      const value = code.evaluate({ ...scope });
      const number = typeof value === 'boolean' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) {
        throw new RuleError(`${where}: "${source}" gave ${String(value)}, not a finite number`);
      }
      return number;
    },
  };
}

function checkNode(node: MathNode, parent: MathNode | null, symbols: Set<string>): string | null {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      return typeof value === 'number' || typeof value === 'boolean' ? null : `constant ${JSON.stringify(value)} is not a number`;
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
      return ALLOWED_FUNCTIONS.has(name) ? null : `function "${name || fn.toString()}" is not allowed`;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
      if (isCallee) return null; // checked by the FunctionNode case
      return symbols.has(name) ? null : `unknown symbol "${name}"`;
    }
    default:
      return `${node.type.replace(/Node$/, '').toLowerCase()} expressions are not allowed`;
  }
}

/** Variables available to `regime.rules.orgPenalty`. */
export const ORG_PENALTY_VARIABLES = ['shortfall', 'severity', 'accountability', 'performance', 'target', 'exposure'] as const;
/** Variables available to `regime.rules.collectiveDelivery`. */
export const COLLECTIVE_DELIVERY_VARIABLES = ['meanShare', 'minShare', 'decisionRate', 'threshold', 'plan', 'meanTrust', 'stage'] as const;

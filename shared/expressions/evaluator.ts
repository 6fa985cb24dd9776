// The safe formula language of KPI definitions (and of anything else a template declares as a
// formula): numbers and named inputs only. jsep parses the text; this module turns jsep's tree into
// its own small tree — refusing everything that is not arithmetic over numbers — and evaluates that.
// Nothing here reaches JavaScript objects, globals or code: no eval, no new Function, no member
// access, no strings; a name is looked up only among the inputs the caller declared.
//
// Values are numbers or null ("no data"). null spreads through arithmetic, and every result that is
// not a finite number — a division by zero, an overflow — becomes null, never Infinity or NaN.
// Comparisons and and/or/not give 1 or 0 (and/or/not treat null as unknown, as SQL does).
import jsep from 'jsep';
import { translate, type Locale, type MessageKey } from '../i18n/index.ts';

/** Longest formula accepted: enough for any KPI, short enough that parsing it is always quick. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting accepted (brackets, function calls, operators inside operators). */
export const MAX_EXPRESSION_DEPTH = 40;
/** Most parts (numbers, names, operators) a formula may have. */
export const MAX_EXPRESSION_NODES = 300;

/** The functions a formula may call, with how many values each takes. */
export const EXPRESSION_FUNCTIONS = {
  min: { min: 1, max: 50 },
  max: { min: 1, max: 50 },
  abs: { min: 1, max: 1 },
  round: { min: 1, max: 2 },
  floor: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  clamp: { min: 3, max: 3 },
  if: { min: 3, max: 3 },
} as const;
export type ExpressionFunction = keyof typeof EXPRESSION_FUNCTIONS;
const FUNCTION_LIST = Object.keys(EXPRESSION_FUNCTIONS).join(', ');

/** Words with a meaning of their own in a formula, which cannot name an input. */
export const RESERVED_WORDS: readonly string[] = ['and', 'or', 'not', 'true', 'false', 'null', 'this', ...Object.keys(EXPRESSION_FUNCTIONS)];

/** What a formula's input names look like: letters, digits and "_", starting with a letter or "_". */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/** Whether `name` can name an input of a formula. */
export function isValidInputName(name: string): boolean {
  return INPUT_NAME_PATTERN.test(name) && !RESERVED_WORDS.includes(name);
}

// The operators of the language. jsep's configuration is global to the module; these additions only
// widen what parses, and everything jsep parses is checked again below.
jsep.addBinaryOp('^', 11, true); // power, right-associative like **, as in a spreadsheet (not XOR)
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addUnaryOp('not');

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^', '**']);
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const LOGICAL = new Map([
  ['and', 'and'],
  ['&&', 'and'],
  ['or', 'or'],
  ['||', 'or'],
]);

/** A problem with a formula, as a message key and its parameters (rendered in the user's language). */
export interface ExpressionProblem {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** A formula that cannot be used; `problem` says why in a sentence fragment of either language. */
export class ExpressionError extends Error {
  readonly problem: ExpressionProblem;
  constructor(key: MessageKey, params: Record<string, string | number> = {}) {
    super(translate('en', key, params));
    this.name = 'ExpressionError';
    this.problem = { key, params };
  }

  /** The problem in the user's language. */
  describe(locale: Locale): string {
    return translate(locale, this.problem.key, this.problem.params);
  }
}

/** The checked tree of a formula. */
export type ExpressionNode =
  | { kind: 'number'; value: number }
  | { kind: 'input'; name: string }
  | { kind: 'negate' | 'plus' | 'not'; argument: ExpressionNode }
  | { kind: 'arithmetic' | 'compare'; operator: string; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'and' | 'or'; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'choose'; test: ExpressionNode; then: ExpressionNode; otherwise: ExpressionNode }
  | { kind: 'call'; name: Exclude<ExpressionFunction, 'if'>; args: ExpressionNode[] };

/** Input values by name; null (or a missing name) means no data. */
export type ExpressionInputs = Readonly<Record<string, number | null | undefined>> | ReadonlyMap<string, number | null | undefined>;

export interface CompiledExpression {
  readonly source: string;
  readonly tree: ExpressionNode;
  /** The input names the formula uses, in order of first use. */
  readonly uses: readonly string[];
  /** The formula's value for these inputs: a finite number, or null. */
  evaluate(inputs: ExpressionInputs): number | null;
}

const describeNumber = (raw: unknown) => String(raw).slice(0, 40);

/** jsep's tree → the checked tree, refusing anything that is not a number formula. */
function convert(node: jsep.Expression, names: ReadonlySet<string>, uses: string[], depth: number, budget: { nodes: number }): ExpressionNode {
  if (depth > MAX_EXPRESSION_DEPTH) throw new ExpressionError('kpis.expr.tooDeep', { max: MAX_EXPRESSION_DEPTH });
  if (--budget.nodes < 0) throw new ExpressionError('kpis.expr.tooBig', { max: MAX_EXPRESSION_NODES });
  const next = (child: jsep.Expression) => convert(child, names, uses, depth + 1, budget);
  switch (node.type) {
    case 'Literal': {
      const { value, raw } = node as jsep.Literal;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new ExpressionError('kpis.expr.numberTooLarge', { number: describeNumber(raw) });
        return { kind: 'number', value };
      }
      if (typeof value === 'boolean') return { kind: 'number', value: value ? 1 : 0 };
      if (typeof value === 'string') throw new ExpressionError('kpis.expr.noText', { text: describeNumber(raw) });
      throw new ExpressionError('kpis.expr.notAllowed', { part: describeNumber(raw) });
    }
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      if (!names.has(name)) {
        if (Object.hasOwn(EXPRESSION_FUNCTIONS, name)) throw new ExpressionError('kpis.expr.functionNotCalled', { name });
        throw new ExpressionError(names.size > 0 ? 'kpis.expr.unknownName' : 'kpis.expr.unknownNameNoInputs', {
          name: describeNumber(name),
          inputs: [...names].join(', '),
        });
      }
      if (!uses.includes(name)) uses.push(name);
      return { kind: 'input', name };
    }
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      if (operator === '-') return { kind: 'negate', argument: next(argument) };
      if (operator === '+') return { kind: 'plus', argument: next(argument) };
      if (operator === '!' || operator === 'not') return { kind: 'not', argument: next(argument) };
      throw new ExpressionError('kpis.expr.operatorNotAllowed', { operator });
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      const logical = LOGICAL.get(operator);
      if (logical === 'and' || logical === 'or') return { kind: logical, left: next(left), right: next(right) };
      if (ARITHMETIC.has(operator)) return { kind: 'arithmetic', operator: operator === '**' ? '^' : operator, left: next(left), right: next(right) };
      if (COMPARISONS.has(operator)) return { kind: 'compare', operator, left: next(left), right: next(right) };
      throw new ExpressionError('kpis.expr.operatorNotAllowed', { operator });
    }
    case 'ConditionalExpression': {
      const { test, consequent, alternate } = node as jsep.ConditionalExpression;
      return { kind: 'choose', test: next(test), then: next(consequent), otherwise: next(alternate) };
    }
    case 'CallExpression': {
      const { callee, arguments: args } = node as jsep.CallExpression;
      if (callee.type === 'MemberExpression') throw new ExpressionError('kpis.expr.noMembers', {});
      if (callee.type !== 'Identifier') throw new ExpressionError('kpis.expr.notCallable', { functions: FUNCTION_LIST });
      const name = (callee as jsep.Identifier).name;
      if (!Object.hasOwn(EXPRESSION_FUNCTIONS, name)) {
        throw new ExpressionError('kpis.expr.unknownFunction', { name: describeNumber(name), functions: FUNCTION_LIST });
      }
      const arity = EXPRESSION_FUNCTIONS[name as ExpressionFunction];
      if (args.length < arity.min || args.length > arity.max) {
        const key: MessageKey = arity.min === arity.max ? 'kpis.expr.arity' : arity.max >= 50 ? 'kpis.expr.arityAtLeast' : 'kpis.expr.arityRange';
        throw new ExpressionError(key, { name, min: arity.min, max: arity.max, actual: args.length });
      }
      const converted = args.map(next);
      if (name === 'if') return { kind: 'choose', test: converted[0]!, then: converted[1]!, otherwise: converted[2]! };
      return { kind: 'call', name: name as Exclude<ExpressionFunction, 'if'>, args: converted };
    }
    case 'MemberExpression':
      throw new ExpressionError('kpis.expr.noMembers', {});
    case 'ArrayExpression':
      throw new ExpressionError('kpis.expr.noLists', {});
    case 'Compound':
    case 'SequenceExpression':
      throw new ExpressionError('kpis.expr.oneFormula', {});
    case 'ThisExpression':
      throw new ExpressionError('kpis.expr.notAllowed', { part: 'this' });
    default:
      throw new ExpressionError('kpis.expr.notAllowed', { part: String(node.type) });
  }
}

/**
 * Parses and checks a formula over the given input names; throws ExpressionError with a sentence
 * naming the problem.
 * @example compileExpression('good / total', ['good', 'total']).evaluate({ good: 95, total: 100 }) // 0.95
 */
export function compileExpression(source: string, inputNames: readonly string[]): CompiledExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('kpis.expr.empty', {});
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError('kpis.expr.tooLong', { length: source.length, max: MAX_EXPRESSION_LENGTH });
  let parsed: jsep.Expression;
  try {
    parsed = jsep(source);
  } catch (error) {
    if (error instanceof RangeError) throw new ExpressionError('kpis.expr.tooDeep', { max: MAX_EXPRESSION_DEPTH });
    const { index, description } = error as { index?: number; description?: string };
    throw new ExpressionError('kpis.expr.syntax', {
      position: typeof index === 'number' ? index + 1 : 1,
      reason: description ?? String((error as Error).message),
    });
  }
  const uses: string[] = [];
  const tree = convert(parsed, new Set(inputNames), uses, 0, { nodes: MAX_EXPRESSION_NODES });
  return {
    source,
    tree,
    uses,
    evaluate(inputs) {
      const lookup = inputs instanceof Map ? (name: string) => inputs.get(name) : (name: string) => (Object.hasOwn(inputs, name) ? (inputs as Record<string, number | null | undefined>)[name] : undefined);
      return finite(evaluateNode(tree, lookup));
    },
  };
}

/** The problem with a formula over these input names, or null when it can be used. */
export function expressionProblem(source: string, inputNames: readonly string[]): ExpressionError | null {
  try {
    compileExpression(source, inputNames);
    return null;
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
}

const finite = (value: number | null): number | null => (value === null || !Number.isFinite(value) ? null : value === 0 ? 0 : value);
const truth = (value: number): number => (value !== 0 ? 1 : 0);

function arithmetic(operator: string, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    default:
      return a ** b;
  }
}

function compare(operator: string, a: number, b: number): boolean {
  switch (operator) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function roundTo(value: number, digits: number): number {
  const places = Math.max(0, Math.min(10, Math.trunc(digits)));
  const factor = 10 ** places;
  // Half away from zero, as a spreadsheet rounds (Math.round rounds -2.5 to -2).
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
}

function evaluateNode(node: ExpressionNode, lookup: (name: string) => number | null | undefined): number | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'input': {
      const value = lookup(node.name);
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    }
    case 'negate': {
      const value = evaluateNode(node.argument, lookup);
      return value === null ? null : -value;
    }
    case 'plus':
      return evaluateNode(node.argument, lookup);
    case 'not': {
      const value = evaluateNode(node.argument, lookup);
      return value === null ? null : value === 0 ? 1 : 0;
    }
    case 'arithmetic': {
      const left = finite(evaluateNode(node.left, lookup));
      if (left === null) return null;
      const right = finite(evaluateNode(node.right, lookup));
      if (right === null) return null;
      return finite(arithmetic(node.operator, left, right));
    }
    case 'compare': {
      const left = finite(evaluateNode(node.left, lookup));
      const right = finite(evaluateNode(node.right, lookup));
      if (left === null || right === null) return null;
      return compare(node.operator, left, right) ? 1 : 0;
    }
    case 'and': {
      const left = finite(evaluateNode(node.left, lookup));
      if (left === 0) return 0;
      const right = finite(evaluateNode(node.right, lookup));
      if (right === 0) return 0;
      return left === null || right === null ? null : 1;
    }
    case 'or': {
      const left = finite(evaluateNode(node.left, lookup));
      if (left !== null && left !== 0) return 1;
      const right = finite(evaluateNode(node.right, lookup));
      if (right !== null && right !== 0) return 1;
      return left === null || right === null ? null : 0;
    }
    case 'choose': {
      const test = finite(evaluateNode(node.test, lookup));
      if (test === null) return null;
      return truth(test) ? evaluateNode(node.then, lookup) : evaluateNode(node.otherwise, lookup);
    }
    case 'call': {
      const values: number[] = [];
      for (const arg of node.args) {
        const value = finite(evaluateNode(arg, lookup));
        if (value === null) return null;
        values.push(value);
      }
      switch (node.name) {
        case 'min':
          return Math.min(...values);
        case 'max':
          return Math.max(...values);
        case 'abs':
          return Math.abs(values[0]!);
        case 'round':
          return roundTo(values[0]!, values[1] ?? 0);
        case 'floor':
          return Math.floor(values[0]!);
        case 'ceil':
          return Math.ceil(values[0]!);
        case 'clamp': {
          const [value, low, high] = values as [number, number, number];
          if (low > high) return null;
          return Math.min(high, Math.max(low, value));
        }
      }
    }
  }
  return null;
}

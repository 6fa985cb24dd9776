// The formula language: what it computes (against an independent reference over random formulas),
// that every result is a finite number or null, and what it refuses — with sentences that say why.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, expressionProblem, isValidInputName, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './evaluator.ts';

const NAMES = ['a', 'b', 'c'] as const;
const evaluate = (source: string, inputs: Record<string, number | null> = {}) => compileExpression(source, Object.keys(inputs)).evaluate(inputs);

function problemOf(source: string, names: readonly string[] = []): ExpressionError {
  const problem = expressionProblem(source, names);
  if (!problem) throw new Error(`expected "${source}" to be refused`);
  return problem;
}

/** A random formula as a tree, printed fully bracketed, with its value computed by plain JavaScript. */
type Tree =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: (typeof NAMES)[number] }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/' | '%' | '^' | '<' | '>=' | '==' | 'and' | 'or'; left: Tree; right: Tree }
  | { kind: 'unary'; operator: '-' | 'not'; argument: Tree }
  | { kind: 'choose'; test: Tree; then: Tree; otherwise: Tree }
  | { kind: 'call'; name: 'min' | 'max' | 'abs' | 'floor' | 'ceil' | 'clamp'; args: Tree[] };

const { tree: treeArbitrary } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('number' as const), value: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })) }),
    fc.record({ kind: fc.constant('name' as const), name: fc.constantFrom(...NAMES) }),
    fc.record({
      kind: fc.constant('binary' as const),
      operator: fc.constantFrom('+', '-', '*', '/', '%', '^', '<', '>=', '==', 'and', 'or'),
      left: tie('tree'),
      right: tie('tree'),
    }),
    fc.record({ kind: fc.constant('unary' as const), operator: fc.constantFrom('-', 'not'), argument: tie('tree') }),
    fc.record({ kind: fc.constant('choose' as const), test: tie('tree'), then: tie('tree'), otherwise: tie('tree') }),
    fc.oneof(
      fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom('min', 'max'), args: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom('abs', 'floor', 'ceil'), args: fc.array(tie('tree'), { minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('call' as const), name: fc.constant('clamp'), args: fc.array(tie('tree'), { minLength: 3, maxLength: 3 }) }),
    ),
  ),
}));

function print(tree: Tree): string {
  switch (tree.kind) {
    case 'number':
      // Negative numbers in brackets: "-" before a number is the unary minus, which binds tighter than ^.
      return tree.value < 0 || Object.is(tree.value, -0) ? `(${String(tree.value)})` : String(tree.value);
    case 'name':
      return tree.name;
    case 'binary':
      return `(${print(tree.left)} ${tree.operator} ${print(tree.right)})`;
    case 'unary':
      return tree.operator === 'not' ? `(not ${print(tree.argument)})` : `(-${print(tree.argument)})`;
    case 'choose':
      return `(${print(tree.test)} ? ${print(tree.then)} : ${print(tree.otherwise)})`;
    case 'call':
      return `${tree.name}(${tree.args.map(print).join(', ')})`;
  }
}

/** The reference: the documented meaning, written as plainly as possible. */
function reference(tree: Tree, inputs: Record<string, number | null>): number | null {
  const ok = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value);
  switch (tree.kind) {
    case 'number':
      return tree.value;
    case 'name':
      return ok(inputs[tree.name] ?? null);
    case 'unary': {
      const value = reference(tree.argument, inputs);
      if (value === null) return null;
      return tree.operator === '-' ? -value : value === 0 ? 1 : 0;
    }
    case 'choose': {
      const test = reference(tree.test, inputs);
      if (test === null) return null;
      return test !== 0 ? reference(tree.then, inputs) : reference(tree.otherwise, inputs);
    }
    case 'call': {
      const values = tree.args.map((arg) => reference(arg, inputs));
      if (values.some((value) => value === null)) return null;
      const numbers = values as number[];
      if (tree.name === 'min') return Math.min(...numbers);
      if (tree.name === 'max') return Math.max(...numbers);
      if (tree.name === 'abs') return Math.abs(numbers[0]!);
      if (tree.name === 'floor') return Math.floor(numbers[0]!);
      if (tree.name === 'ceil') return Math.ceil(numbers[0]!);
      const [value, low, high] = numbers as [number, number, number];
      return low > high ? null : Math.min(high, Math.max(low, value));
    }
    case 'binary': {
      const left = reference(tree.left, inputs);
      if (tree.operator === 'and') {
        if (left === 0) return 0;
        const right = reference(tree.right, inputs);
        if (right === 0) return 0;
        return left === null || right === null ? null : 1;
      }
      if (tree.operator === 'or') {
        if (left !== null && left !== 0) return 1;
        const right = reference(tree.right, inputs);
        if (right !== null && right !== 0) return 1;
        return left === null || right === null ? null : 0;
      }
      const right = reference(tree.right, inputs);
      if (left === null || right === null) return null;
      switch (tree.operator) {
        case '+':
          return ok(left + right);
        case '-':
          return ok(left - right);
        case '*':
          return ok(left * right);
        case '/':
          return ok(left / right);
        case '%':
          return ok(left % right);
        case '^':
          return ok(left ** right);
        case '<':
          return left < right ? 1 : 0;
        case '>=':
          return left >= right ? 1 : 0;
        case '==':
          return left === right ? 1 : 0;
      }
    }
  }
}

const inputsArbitrary = fc.record({
  a: fc.option(fc.double({ noNaN: true }), { nil: null }),
  b: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
  c: fc.option(fc.constantFrom(0, 1, -1, 1e308, -1e308, 5e-324, 2.5), { nil: null }),
});

const normalise = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value === 0 ? 0 : value);

describe('formulas', () => {
  it('compute what the reference computes, for random formulas and inputs', () => {
    fc.assert(
      fc.property(treeArbitrary, inputsArbitrary, (tree, inputs) => {
        const compiled = compileExpression(print(tree), [...NAMES]);
        expect(compiled.evaluate(inputs)).toBe(normalise(reference(tree, inputs)));
      }),
      { numRuns: 2000 },
    );
  });

  it('give a finite number or null and nothing else, whatever the inputs', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(fc.double(), fc.constant(null))), (tree, inputs) => {
        const value = compileExpression(print(tree), [...NAMES]).evaluate(inputs);
        expect(value === null || Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('parse any text into a formula or a refusal with a reason, never another failure', () => {
    const alphabet = fc.constantFrom(...'ab c1.2()+-*/%^<>=!?:,;[]"\'&|~ andornotmaxif_$e'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: alphabet, maxLength: 60 })), (text) => {
        try {
          const value = compileExpression(text, ['a', 'b']).evaluate({ a: 3, b: 0 });
          expect(value === null || Number.isFinite(value)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          expect((error as ExpressionError).message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('follows the usual precedence, with ^ as power (right to left) and ?: lowest', () => {
    expect(evaluate('1 + 2 * 3')).toBe(7);
    expect(evaluate('(1 + 2) * 3')).toBe(9);
    expect(evaluate('2 ^ 3 ^ 2')).toBe(512);
    expect(evaluate('2 * 3 ^ 2')).toBe(18);
    expect(evaluate('2 ** 10')).toBe(1024);
    expect(evaluate('7 % 4')).toBe(3);
    expect(evaluate('1 < 2 and 3 > 4 or 5 >= 5')).toBe(1);
    expect(evaluate('not 0')).toBe(1);
    expect(evaluate('!(2 > 1)')).toBe(0);
    expect(evaluate('a > 0.85 ? 1 : 0', { a: 0.9 })).toBe(1);
    expect(evaluate('if(a > 1, 10, 20)', { a: 1 })).toBe(20);
    expect(evaluate('true + true')).toBe(2);
    // As in a spreadsheet: the minus sign belongs to the number.
    expect(evaluate('-2 ^ 2')).toBe(4);
  });

  it('has the functions min, max, abs, round, floor, ceil, clamp and if', () => {
    expect(evaluate('min(3, a, 2)', { a: 1 })).toBe(1);
    expect(evaluate('max(3, a, 2)', { a: 1 })).toBe(3);
    expect(evaluate('abs(-4)')).toBe(4);
    expect(evaluate('round(2.5)')).toBe(3);
    expect(evaluate('round(-2.5)')).toBe(-3);
    expect(evaluate('round(a, 2)', { a: 0.12345 })).toBe(0.12);
    expect(evaluate('floor(-1.5) + ceil(1.2)')).toBe(0);
    expect(evaluate('clamp(a, 0, 1)', { a: 1.2 })).toBe(1);
    expect(evaluate('clamp(a, 0, 1)', { a: -3 })).toBe(0);
  });

  it('gives null, not Infinity, for a division by zero, an overflow or missing data', () => {
    expect(evaluate('good / total', { good: 5, total: 0 })).toBeNull();
    expect(evaluate('0 / 0')).toBeNull();
    expect(evaluate('5 % 0')).toBeNull();
    expect(evaluate('a * 10', { a: 1e308 })).toBeNull();
    expect(evaluate('(-8) ^ 0.5')).toBeNull();
    expect(evaluate('good / total', { good: null, total: 4 })).toBeNull();
    expect(compileExpression('a + 1', ['a']).evaluate({})).toBeNull();
    expect(evaluate('a', { a: Number.POSITIVE_INFINITY })).toBeNull();
    // Unknown and false is false; unknown or true is true; otherwise unknown.
    expect(evaluate('a and 0', { a: null })).toBe(0);
    expect(evaluate('a or 1', { a: null })).toBe(1);
    expect(evaluate('a and 1', { a: null })).toBeNull();
    expect(evaluate('a ? 1 : 2', { a: null })).toBeNull();
  });

  it('refuses names that are not inputs, even ones every JavaScript object has', () => {
    for (const name of ['goood', 'constructor', '__proto__', 'toString', 'globalThis', 'process', 'Math']) {
      const problem = problemOf(`${name} + 1`, ['good', 'total']);
      expect(problem.problem.key).toBe('kpis.expr.unknownName');
      expect(problem.message).toBe(`the name "${name}" is not one of its inputs (good, total)`);
    }
    expect(problemOf('x', []).problem.key).toBe('kpis.expr.unknownNameNoInputs');
    // A declared name missing from the values is no data, not something found on the prototype.
    expect(compileExpression('toString', ['toString']).evaluate({})).toBeNull();
  });

  it('refuses functions it does not know, member access, text, lists and other JavaScript', () => {
    expect(problemOf('sqrt(4)').problem.key).toBe('kpis.expr.unknownFunction');
    expect(problemOf('eval("1")').problem.key).toBe('kpis.expr.unknownFunction');
    expect(problemOf('Math.max(1, 2)').problem.key).toBe('kpis.expr.noMembers');
    expect(problemOf('a.constructor', ['a']).problem.key).toBe('kpis.expr.noMembers');
    expect(problemOf('a["constructor"]', ['a']).problem.key).toBe('kpis.expr.noMembers');
    expect(problemOf('max(1)(2)').problem.key).toBe('kpis.expr.notCallable');
    expect(problemOf('"abc"').problem.key).toBe('kpis.expr.noText');
    expect(problemOf('[1, 2]').problem.key).toBe('kpis.expr.noLists');
    expect(problemOf('1; 2').problem.key).toBe('kpis.expr.oneFormula');
    expect(problemOf('this').problem.key).toBe('kpis.expr.notAllowed');
    expect(problemOf('null').problem.key).toBe('kpis.expr.notAllowed');
    expect(problemOf('a | 1', ['a']).problem.key).toBe('kpis.expr.operatorNotAllowed');
    expect(problemOf('~a', ['a']).problem.key).toBe('kpis.expr.operatorNotAllowed');
    expect(problemOf('a === 1', ['a']).problem.key).toBe('kpis.expr.operatorNotAllowed');
    expect(problemOf('max').problem.key).toBe('kpis.expr.functionNotCalled');
    expect(problemOf('abs(1, 2)').message).toBe('the function abs takes 1 value(s), not 2');
    expect(problemOf('round()').message).toBe('the function round takes 1 to 2 values, not 0');
    expect(problemOf('min()').message).toBe('the function min takes at least 1 value(s), not 0');
    expect(problemOf('1 +').problem.key).toBe('kpis.expr.syntax');
    expect(problemOf('   ').problem.key).toBe('kpis.expr.empty');
  });

  it('refuses huge formulas and numbers before they cost anything', () => {
    expect(problemOf('1+'.repeat(600) + '1').problem.key).toBe('kpis.expr.tooLong');
    expect(problemOf('1'.repeat(MAX_EXPRESSION_LENGTH + 1)).problem.params).toEqual({ length: MAX_EXPRESSION_LENGTH + 1, max: MAX_EXPRESSION_LENGTH });
    // Brackets alone add nothing; operators inside operators do.
    expect(evaluate('('.repeat(450) + '1' + ')'.repeat(450))).toBe(1);
    expect(problemOf('(1+'.repeat(MAX_EXPRESSION_DEPTH + 1) + '1' + ')'.repeat(MAX_EXPRESSION_DEPTH + 1)).problem.key).toBe('kpis.expr.tooDeep');
    expect(problemOf('-'.repeat(MAX_EXPRESSION_DEPTH + 5) + '1').problem.key).toBe('kpis.expr.tooDeep');
    const wide = Array.from({ length: 7 }, () => `max(${Array.from({ length: 50 }, () => 'a').join(',')})`).join('+');
    expect(problemOf(wide, ['a']).problem.key).toBe('kpis.expr.tooBig');
    expect(problemOf('1e999').problem.key).toBe('kpis.expr.numberTooLarge');
    expect(evaluate('1e308 + 1e308')).toBeNull();
  });

  it('says what is wrong in Chinese too', () => {
    expect(problemOf('goood / total', ['good', 'total']).describe('zh-CN')).toBe('名称“goood”不是它的输入之一（good, total）');
    expect(problemOf('sqrt(2)').describe('zh-CN')).toContain('不是公式可用的函数');
  });

  it('knows which names can name an input', () => {
    expect(isValidInputName('goodParts')).toBe(true);
    expect(isValidInputName('_x1')).toBe(true);
    for (const name of ['1a', 'a-b', 'max', 'and', 'not', 'true', '', 'a.b', 'x'.repeat(41)]) expect(isValidInputName(name), name).toBe(false);
  });

  it('lists the inputs a formula uses', () => {
    expect(compileExpression('b * 2 + a / b', ['a', 'b', 'c']).uses).toEqual(['b', 'a']);
  });
});

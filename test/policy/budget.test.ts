/**
 * Bounded work per evaluation: RE2 regexes (no backtracking), a cost budget that counts
 * comprehension iterations and regex/concatenation traversals, and a cap on built strings.
 * Everything is asserted by counts (units spent), never by time.
 */
import { EVAL_BUDGET, budgetSpent } from '../../src/policy/budget.js';
import { compile, isError, unsupportedIn } from '../../src/policy/cel.js';

function evaluate(src: string, bindings: Record<string, unknown> = {}): { value: unknown; spent: number } {
  const c = compile(src);
  expect(unsupportedIn(c.expr)).toEqual([]);
  const value = c.run(bindings);
  return { value, spent: budgetSpent() };
}

describe('regexes are RE2', () => {
  it.each([
    ["'xxABBB'.matches('(?i)ab+')", true],
    ["'abc'.matches('^b')", false],
    ["'a1b22c333'.find('[0-9]+')", '1'],
    ["'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333']", true],
    ["'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']", true],
    ["'baaac'.findAll('a*') == ['', 'aaa', '']", true],
    ["'nothing'.find('[0-9]')", ''],
  ])('%s', (src, want) => {
    expect(evaluate(src).value).toBe(want);
  });

  it('refuses syntax RE2 lacks (lookaround, backreferences) with an evaluation error', () => {
    expect(isError(evaluate("'aa'.matches('(a)\\\\1')").value)).toBe(true);
    expect(isError(evaluate("'ab'.matches('a(?=b)')").value)).toBe(true);
  });

  it('matches a catastrophic-backtracking pattern in work linear in the input', () => {
    const s = `${'a'.repeat(5000)}b`;
    const r = evaluate("s.matches('^(a+)+$')", { s });
    expect(r.value).toBe(false);
    // one traversal of the input (cost 1 + length/10), not 2^n steps
    expect(r.spent).toBe(1 + Math.ceil((s.length + '^(a+)+$'.length) / 10));
  });
});

describe('the cost budget', () => {
  it('counts one unit per comprehension iteration', () => {
    const items = Array.from({ length: 50 }, (_, i) => BigInt(i));
    expect(evaluate('xs.all(x, x >= 0)', { xs: items })).toEqual({ value: true, spent: 50 });
    // map and filter also append each result: 1 more unit per item
    expect(evaluate('xs.map(x, x * 2).size()', { xs: items })).toEqual({ value: 50n, spent: 100 });
    // nested: the loop condition is counted per item, including the one check that stops exists()
    // early: for x = i, i + 2 checks (i + 1 for the last x) on top of the 50 outer ones
    expect(evaluate('xs.all(x, xs.exists(y, y == x))', { xs: items }).spent).toBe(50 + (49 * 50) / 2 + 2 * 50 - 1);
  });

  it('stops a quadratic policy over a hostile list with an evaluation error', () => {
    const xs = Array.from({ length: 2000 }, (_, i) => BigInt(i));
    const r = evaluate('xs.all(x, xs.all(y, x + y >= 0))', { xs });
    expect(isError(r.value)).toBe(true);
    expect(String(r.value)).toMatch(/cost budget/);
    // the inner predicate stops at the first unit over the budget
    expect(r.spent).toBeGreaterThan(EVAL_BUDGET);
    expect(r.spent).toBeLessThanOrEqual(EVAL_BUDGET + 2);
  });

  it('stops strings that double through variables-like chains', () => {
    const s = 'x'.repeat(1000);
    const src = Array.from({ length: 12 }).reduce<string>((e) => `(${e} + ${e})`, 's');
    const r = evaluate(`${src}.size() > 0`, { s });
    expect(isError(r.value)).toBe(true);
  });

  it('starts again at zero for every evaluation', () => {
    const c = compile("['a', 'b'].all(x, x.matches('[a-z]'))");
    c.run({});
    const first = budgetSpent();
    c.run({});
    expect(budgetSpent()).toBe(first);
    expect(first).toBe(2 + 2 * (1 + Math.ceil(6 / 10)));
  });
});

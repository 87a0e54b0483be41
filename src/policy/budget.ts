/**
 * Bounded work per CEL evaluation. @bufbuild/cel has no cost limits, so podguard counts: every
 * comprehension iteration (`all`, `exists`, `map`, `filter`...) costs 1, a regex match or a
 * string concatenation 1 + a tenth of the characters it handles (as the Kubernetes cost model
 * charges traversals), a list concatenation 1 + a tenth of its smaller side (rounded down); strings and lists
 * built by concatenation are capped at MAX_STRING characters / MAX_LIST elements. An evaluation that spends more than EVAL_BUDGET is an
 * evaluation error (handled by the policy's failurePolicy), so a hostile policy or manifest
 * cannot stall the scan. Regexes are RE2 (re2js: linear time, no backtracking).
 */
import { CelScalar, celFunc, celListConcat, celMethod, listType } from '@bufbuild/cel';
import type { CelList } from '@bufbuild/cel';
import { RE2JS } from 're2js';
import type { parse } from '@bufbuild/cel';

/** A parsed CEL expression node (as cel.ts names it; declared here so the two files do not import each other). */
type CelExpr = ReturnType<typeof parse>['expr'];

/** Cost units one evaluation of one expression may spend. */
export const EVAL_BUDGET = 1_000_000;

/** Longest string a concatenation may build (characters). */
export const MAX_STRING = 1 << 20;

/** Longest list a concatenation may build (elements). */
export const MAX_LIST = 1 << 20;

let spent = 0;

/** Starts the count of one evaluation (evaluation is synchronous: one counter per thread). */
export function resetBudget(): void {
  spent = 0;
}

/** Units spent by the current (or last) evaluation. */
export function budgetSpent(): number {
  return spent;
}

/** Spends cost units; throws when the evaluation is over its budget. */
export function spend(units: number): void {
  spent += units;
  if (spent > EVAL_BUDGET) throw new Error(`the evaluation exceeded its cost budget of ${EVAL_BUDGET} units`);
}

function traversal(n: number): number {
  return 1 + Math.ceil(n / 10);
}

const TICK = '@podguard.iteration';
const cache = new Map<string, RE2JS>();

/** An RE2 regex (compiled once per pattern; a bounded cache). Throws on RE2-invalid syntax. */
export function re2(pattern: string): RE2JS {
  let r = cache.get(pattern);
  if (!r) {
    if (pattern.length > 4096) throw new Error('the regular expression is too long');
    r = RE2JS.compile(pattern);
    if (cache.size >= 512) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}

/** Matches of a regex in a string, Go's FindAllString way (no empty match right after a match). */
export function findAll(s: string, pattern: string, limit: number): string[] {
  spend(traversal(s.length + pattern.length));
  const m = re2(pattern).matcher(s);
  const out: string[] = [];
  let prevEnd = -1;
  while ((limit < 0 || out.length < limit) && m.find()) {
    const g = m.group() ?? '';
    if (g === '' && m.start() === prevEnd) continue;
    prevEnd = m.end();
    out.push(g);
    spend(1);
  }
  return out;
}

/** The budget's functions: RE2 regexes and bounded concatenation (they override the standard ones). */
export const BUDGET_FUNCS = [
  celFunc(TICK, [CelScalar.DYN], CelScalar.DYN, (c) => {
    spend(1);
    return c;
  }),
  celMethod('matches', CelScalar.STRING, [CelScalar.STRING], CelScalar.BOOL, function (pattern) {
    spend(traversal(this.length + pattern.length));
    return re2(pattern).matcher(this).find();
  }),
  celFunc('matches', [CelScalar.STRING, CelScalar.STRING], CelScalar.BOOL, (s, pattern) => {
    spend(traversal(s.length + pattern.length));
    return re2(pattern).matcher(s).find();
  }),
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return findAll(this, pattern, 1)[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return findAll(this, pattern, -1);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (pattern, limit) {
    return findAll(this, pattern, limit < 0n ? -1 : Number(limit > 1_000_000n ? 1_000_000n : limit));
  }),
  celFunc('_+_', [CelScalar.STRING, CelScalar.STRING], CelScalar.STRING, (a, b) => {
    const n = a.length + b.length;
    spend(traversal(n));
    if (n > MAX_STRING) throw new Error(`a string of more than ${MAX_STRING} characters`);
    return a + b;
  }),
  celFunc('_+_', [listType(CelScalar.DYN), listType(CelScalar.DYN)], listType(CelScalar.DYN), (a: CelList, b: CelList) => {
    // The concatenation is a view (no copy): it costs the smaller side, so `@result + [x]` in
    // map/filter costs 1 per item and a doubling chain is charged half of what it builds.
    spend(1 + Math.floor(Math.min(a.size, b.size) / 10));
    if (a.size + b.size > MAX_LIST) throw new Error(`a list of more than ${MAX_LIST} elements`);
    return celListConcat(a, b);
  }),
];

/** Names of the budget's internal functions (never written in a policy). */
export const BUDGET_INTERNAL = new Set([TICK]);

/**
 * Makes every comprehension of an expression spend one unit per iteration: its loop condition,
 * evaluated once per item, is wrapped in the counting function (idempotent).
 */
export function instrument(e: CelExpr | undefined): void {
  if (!e) return;
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      instrument(k.value.operand);
      break;
    case 'callExpr':
      instrument(k.value.target);
      for (const a of k.value.args) instrument(a);
      break;
    case 'listExpr':
      for (const a of k.value.elements) instrument(a);
      break;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') instrument(en.keyKind.value);
        instrument(en.value);
      }
      break;
    case 'comprehensionExpr': {
      const c = k.value;
      instrument(c.iterRange);
      instrument(c.accuInit);
      instrument(c.loopStep);
      instrument(c.result);
      const cond = c.loopCondition;
      if (cond && !(cond.exprKind.case === 'callExpr' && cond.exprKind.value.function === TICK)) {
        instrument(cond);
        c.loopCondition = tick(cond);
      }
      break;
    }
    default:
      break;
  }
}

function tick(cond: CelExpr): CelExpr {
  // A shallow copy of the condition node becomes the argument; the node keeps its id.
  const inner = { ...cond };
  return { ...cond, exprKind: { case: 'callExpr', value: { ...callShape(), function: TICK, args: [inner] } } } as CelExpr;
}

function callShape(): object {
  return { $typeName: 'cel.expr.Expr.Call', target: undefined, function: '', args: [] };
}

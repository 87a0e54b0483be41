/**
 * The CEL environment of a ValidatingAdmissionPolicy, on @bufbuild/cel: the standard library,
 * the strings extension, and the parts of the Kubernetes CEL libraries podguard implements.
 * Every other function is refused before evaluation (`unsupportedIn`), so a policy that needs it
 * is a finding, never a silent pass.
 */
import { CelScalar, celEnv, celMethod, isCelError, listType, parse, plan } from '@bufbuild/cel';
import type { CelEnv, CelList, CelResult, CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { YNode } from '../parse/yaml.js';
import { BUDGET_FUNCS, BUDGET_INTERNAL, instrument, resetBudget } from './budget.js';
import { K8S_LIB_FUNCS } from './k8slib.js';
import { QUANTITY_FUNCS } from './quantity.js';

/** A parsed CEL expression tree (the cel.expr.Expr message). */
export type CelExpr = ReturnType<typeof parse>['expr'];

const DYN_LIST = listType(CelScalar.DYN);

type Ordered = bigint | number | string | boolean;

function ordered(v: CelValue): v is Ordered {
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function compare(a: Ordered, b: Ordered): number {
  if (typeof a === 'string' || typeof b === 'string' || typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== typeof b) throw new Error('list elements of different types cannot be compared');
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // int and double compare by value, as CEL's heterogeneous comparison does.
  return a < b ? -1 : a > b ? 1 : 0;
}

function items(list: CelList): Ordered[] {
  const out: Ordered[] = [];
  for (const v of list) {
    if (!ordered(v)) throw new Error('the list holds values that have no order');
    out.push(v);
  }
  return out;
}

function extreme(list: CelList, sign: 1 | -1): Ordered {
  const xs = items(list);
  if (xs.length === 0) throw new Error('min/max of an empty list');
  return xs.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
}

function equal(a: CelValue, b: CelValue): boolean {
  if (ordered(a) && ordered(b) && typeof a !== 'string' && typeof b !== 'string' && typeof a !== 'boolean' && typeof b !== 'boolean') {
    return a == b;
  }
  return a === b;
}

/** The Kubernetes library functions podguard implements (lists, regex, quantity, validators). */
const KUBERNETES_FUNCS = [
  celMethod('isSorted', DYN_LIST, [], CelScalar.BOOL, function () {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compare(xs[i - 1]!, x) <= 0);
  }),
  celMethod('sum', DYN_LIST, [], CelScalar.DYN, function () {
    const xs = items(this);
    if (xs.some((x) => typeof x === 'number')) return xs.reduce<number>((s, x) => s + Number(x), 0);
    return xs.reduce<bigint>((s, x) => {
      if (typeof x !== 'bigint') throw new Error('sum() needs a list of numbers');
      return s + x;
    }, 0n);
  }),
  celMethod('min', DYN_LIST, [], CelScalar.DYN, function () {
    return extreme(this, -1);
  }),
  celMethod('max', DYN_LIST, [], CelScalar.DYN, function () {
    return extreme(this, 1);
  }),
  celMethod('indexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (x) {
    let i = 0;
    for (const v of this) {
      if (equal(v, x)) return BigInt(i);
      i++;
    }
    return -1n;
  }),
  celMethod('lastIndexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (x) {
    let found = -1;
    let i = 0;
    for (const v of this) {
      if (equal(v, x)) found = i;
      i++;
    }
    return BigInt(found);
  }),
  ...K8S_LIB_FUNCS,
  ...QUANTITY_FUNCS,
];

/** Functions and operators of the standard environment (macros expand before this is consulted). */
const STANDARD = [
  '_&&_',
  '_||_',
  '_?_:_',
  '!_',
  '-_',
  '_==_',
  '_!=_',
  '_<_',
  '_<=_',
  '_>_',
  '_>=_',
  '_+_',
  '_-_',
  '_*_',
  '_/_',
  '_%_',
  '_[_]',
  '@in',
  '@not_strictly_false',
  'size',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'int',
  'uint',
  'double',
  'string',
  'bytes',
  'bool',
  'type',
  'dyn',
  'duration',
  'timestamp',
  'getFullYear',
  'getMonth',
  'getDayOfYear',
  'getDayOfMonth',
  'getDate',
  'getDayOfWeek',
  'getHours',
  'getMinutes',
  'getSeconds',
  'getMilliseconds',
];

const KNOWN = new Set([
  ...STANDARD,
  ...strings.map((f) => f.name),
  ...KUBERNETES_FUNCS.map((f) => f.name),
  ...BUDGET_FUNCS.map((f) => f.name),
]);

/** Variables of the admission environment; `authorizer` is the one podguard cannot provide. */
const UNSUPPORTED_VARIABLES = new Set(['authorizer']);

let shared: CelEnv | undefined;

/** The environment (built once per thread). */
export function policyEnv(): CelEnv {
  shared ??= celEnv({ funcs: [...strings, ...KUBERNETES_FUNCS, ...BUDGET_FUNCS] });
  return shared;
}

/** Visits every node of an expression tree. */
export function walk(e: CelExpr | undefined, visit: (e: CelExpr) => void): void {
  if (!e) return;
  visit(e);
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      walk(k.value.operand, visit);
      break;
    case 'callExpr':
      walk(k.value.target, visit);
      for (const a of k.value.args) walk(a, visit);
      break;
    case 'listExpr':
      for (const a of k.value.elements) walk(a, visit);
      break;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') walk(en.keyKind.value, visit);
        walk(en.value, visit);
      }
      break;
    case 'comprehensionExpr':
      walk(k.value.iterRange, visit);
      walk(k.value.accuInit, visit);
      walk(k.value.loopCondition, visit);
      walk(k.value.loopStep, visit);
      walk(k.value.result, visit);
      break;
    default:
      break;
  }
}

/** What an expression uses that podguard does not implement (function or variable names), sorted. */
export function unsupportedIn(e: CelExpr): string[] {
  const out = new Set<string>();
  walk(e, (n) => {
    if (n.exprKind.case === 'callExpr' && !BUDGET_INTERNAL.has(n.exprKind.value.function)) {
      const call = n.exprKind.value;
      // A namespaced function (`strings.quote(s)`, `format.uuid()`) parses as a call on an identifier.
      const ns = call.target?.exprKind.case === 'identExpr' ? call.target.exprKind.value.name : undefined;
      const known = KNOWN.has(call.function) || (ns !== undefined && KNOWN.has(`${ns}.${call.function}`));
      if (!known) out.add(`function ${ns !== undefined && !KNOWN.has(call.function) ? `${ns}.` : ''}${call.function}()`);
    }
    if (n.exprKind.case === 'identExpr' && UNSUPPORTED_VARIABLES.has(n.exprKind.value.name)) out.add(`variable ${n.exprKind.value.name}`);
  });
  return [...out].sort();
}

/** Names `variables.<name>` an expression refers to. */
export function variablesIn(e: CelExpr): Set<string> {
  const out = new Set<string>();
  walk(e, (n) => {
    if (n.exprKind.case !== 'selectExpr') return;
    const op = n.exprKind.value.operand;
    if (op?.exprKind.case === 'identExpr' && op.exprKind.value.name === 'variables') out.add(n.exprKind.value.field);
  });
  return out;
}

/** A compiled expression: its tree and its evaluation function. */
export interface Compiled {
  expr: CelExpr;
  run: (bindings: Record<string, unknown>) => CelResult;
}

/** Parses and plans an expression; throws with the parser's message when it does not compile. */
export function compile(source: string): Compiled {
  const parsed = parse(source);
  return { expr: parsed.expr, run: planExpr(parsed.expr) };
}

/** Plans one subtree (a comprehension's predicate, evaluated per item). */
export function planExpr(expr: CelExpr): Compiled['run'] {
  instrument(expr);
  const f = plan(policyEnv(), expr);
  // The bindings are CEL inputs built by toCel; plan's typing wants its own input type.
  return (bindings) => {
    resetBudget();
    return f(bindings as Parameters<typeof f>[0]);
  };
}

/** True when a CEL result is an error value. */
export const isError = isCelError;

/**
 * A YAML node as a CEL value: mappings become Maps (no prototype keys), whole numbers ints
 * (bigint: CEL's int), other numbers doubles, as the API server's typed objects would hold them.
 */
export function toCel(node: YNode | null | undefined): unknown {
  if (!node) return null;
  if (node.kind === 'map') {
    const m = new Map<string, unknown>();
    for (const p of node.pairs) if (p.keyText !== '<<') m.set(p.keyText, toCel(p.value));
    return m;
  }
  if (node.kind === 'seq') return node.items.map(toCel);
  return scalar(node.value, node.text);
}

function scalar(value: string | number | boolean | null, text: string): unknown {
  if (typeof value !== 'number') return value;
  return Number.isSafeInteger(value) && !/[.eE]/.test(text) ? BigInt(value) : value;
}

/** A CEL value as display text (for messageExpression results). */
export function celText(v: CelValue): string {
  return typeof v === 'string' ? v : String(v);
}

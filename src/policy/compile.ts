/**
 * Compiling a ValidatingAdmissionPolicy once per thread: every expression parsed and planned, what
 * podguard cannot evaluate (syntax it cannot parse, functions it lacks, `authorizer`) recorded
 * as problems of the policy, and each validation's location shape worked out from its tree.
 */
import { safeErrorText } from '../redact.js';
import { compile, planExpr, unsupportedIn, variablesIn } from './cel.js';
import type { CelExpr, Compiled } from './cel.js';
import type { AdmissionObject } from './load.js';

/** A problem of the policy itself, reported once per scan at its key in the policy file. */
export interface PolicyProblem {
  /** Dotted key path in the policy (a key of AdmissionObject.ranges). */
  at: string;
  messageId: 'unsupported' | 'compileError' | 'auditIgnored' | 'unbound' | 'noParamRef';
  data: Record<string, string>;
}

/** One compiled expression with the variables it needs (transitively). */
export interface Expression {
  field: string;
  compiled: Compiled | undefined;
  needs: string[];
}

/** Where a failing validation's findings go. */
export type Locator =
  /** `object.<path>.all(<iterVar>, <pred>)`: one finding per offending item of the list at `path`. */
  | { kind: 'each'; path: string[]; iterVar: string; pred: Compiled['run'] }
  /** One field path of the object: the deepest key of it that exists. */
  | { kind: 'field'; path: string[] }
  | { kind: 'object' };

/** A validation, compiled. */
export interface Validation {
  index: number;
  expression: Expression;
  message: string | undefined;
  messageExpression: Expression | undefined;
  reason: string;
  locator: Locator;
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  name: string;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind: { apiVersion: string; kind: string } | undefined;
  matchConstraints: unknown;
  variables: { name: string; expression: Expression }[];
  matchConditions: { name: string; expression: Expression }[];
  validations: Validation[];
  problems: PolicyProblem[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** `object.a.b["c"]` as ['a', 'b', 'c'], or undefined when `e` is not a field path of `object`. */
export function objectPath(e: CelExpr | undefined): string[] | undefined {
  const path: string[] = [];
  let cur = e;
  while (cur) {
    const k = cur.exprKind;
    if (k.case === 'identExpr') return k.value.name === 'object' ? path.reverse() : undefined;
    if (k.case === 'selectExpr' && !k.value.testOnly) {
      path.push(k.value.field);
      cur = k.value.operand;
    } else if (k.case === 'callExpr' && k.value.function === '_[_]' && k.value.args.length === 2) {
      const idx = k.value.args[1]!.exprKind;
      if (idx.case !== 'constExpr') return undefined;
      const c = idx.value.constantKind;
      if (c.case === 'stringValue' || c.case === 'int64Value') path.push(String(c.value));
      else return undefined;
      cur = k.value.args[0];
    } else if (k.case === 'selectExpr' && k.value.testOnly) {
      // has(object.a.b): the path up to b.
      path.push(k.value.field);
      cur = k.value.operand;
    } else return undefined;
  }
  return undefined;
}

/** The predicate of an `all` macro: accumulator `@result && pred`, starting true. */
function allMacro(e: CelExpr): Locator | undefined {
  if (e.exprKind.case !== 'comprehensionExpr') return undefined;
  const c = e.exprKind.value;
  const init = c.accuInit?.exprKind;
  if (init?.case !== 'constExpr' || init.value.constantKind.case !== 'boolValue' || init.value.constantKind.value !== true)
    return undefined;
  const step = c.loopStep?.exprKind;
  if (step?.case !== 'callExpr' || step.value.function !== '_&&_' || step.value.args.length !== 2) return undefined;
  const [acc, pred] = step.value.args;
  if (acc?.exprKind.case !== 'identExpr' || acc.exprKind.value.name !== c.accuVar || !pred || c.iterVar2) return undefined;
  const path = objectPath(c.iterRange);
  if (!path) return undefined;
  return { kind: 'each', path, iterVar: c.iterVar, pred: planExpr(pred) };
}

/** Every field path of `object` an expression reads (outside comprehensions' own variables). */
function fieldPaths(e: CelExpr): string[][] {
  const out: string[][] = [];
  const visit = (n: CelExpr | undefined): void => {
    if (!n) return;
    const p = objectPath(n);
    if (p) {
      if (p.length > 0) out.push(p);
      return;
    }
    const k = n.exprKind;
    if (k.case === 'selectExpr') visit(k.value.operand);
    else if (k.case === 'callExpr') {
      visit(k.value.target);
      k.value.args.forEach(visit);
    } else if (k.case === 'listExpr') k.value.elements.forEach(visit);
    else if (k.case === 'comprehensionExpr') {
      visit(k.value.iterRange);
      visit(k.value.loopStep);
    }
  };
  visit(e);
  return out;
}

/** How to locate a failing expression: per item of an `all`, at one field path, else the object. */
export function locatorOf(e: CelExpr): Locator {
  const each = allMacro(e);
  if (each) return each;
  // `guard || list.all(...)` (and `&&`): when the whole is false, so is the all() (for `&&`, if no
  // item fails, the finding falls back to the object).
  const k = e.exprKind;
  if (k.case === 'callExpr' && (k.value.function === '_||_' || k.value.function === '_&&_')) {
    const inner = k.value.args.map(allMacro).filter((x): x is Locator => x !== undefined);
    if (inner.length === 1) return inner[0]!;
  }
  const paths = fieldPaths(e);
  if (paths.length === 0) return { kind: 'object' };
  // One path, or paths that are prefixes of the longest one (`has(a.b) && a.b.c > 1`).
  const longest = paths.reduce((a, b) => (b.length > a.length ? b : a));
  const prefix = (p: string[]): boolean => p.every((x, i) => longest[i] === x);
  return paths.every(prefix) ? { kind: 'field', path: longest } : { kind: 'object' };
}

/** Compiles a policy; never throws (what cannot compile becomes a problem). */
export function compilePolicy(policy: AdmissionObject, bindings: readonly AdmissionObject[]): CompiledPolicy {
  const spec = policy.spec;
  const problems: PolicyProblem[] = [];
  const declared = new Set<string>();
  const deps = new Map<string, Set<string>>();
  const expression = (source: unknown, field: string): Expression => {
    if (typeof source !== 'string' || source.trim() === '') {
      problems.push({ at: field, messageId: 'compileError', data: { field, error: 'the expression is missing' } });
      return { field, compiled: undefined, needs: [] };
    }
    let compiled: Compiled | undefined;
    try {
      compiled = compile(source);
    } catch (err) {
      problems.push({ at: field, messageId: 'compileError', data: { field, error: safeErrorText(err) } });
      return { field, compiled: undefined, needs: [] };
    }
    const missing = unsupportedIn(compiled.expr);
    if (missing.length > 0) {
      problems.push({ at: field, messageId: 'unsupported', data: { field, what: missing.join(', ') } });
      return { field, compiled: undefined, needs: [] };
    }
    // Variables it needs, with what they need in turn (only earlier variables may be referenced).
    const needs = new Set<string>();
    const add = (name: string): void => {
      if (needs.has(name)) return;
      needs.add(name);
      for (const d of deps.get(name) ?? []) add(d);
    };
    for (const v of variablesIn(compiled.expr)) {
      if (!declared.has(v)) {
        problems.push({ at: field, messageId: 'compileError', data: { field, error: `variables.${v} is not declared before it` } });
        return { field, compiled: undefined, needs: [] };
      }
      add(v);
    }
    return { field, compiled, needs: [...needs] };
  };
  const variables = records(spec.variables).map((v, i) => {
    const name = str(v.name) ?? `#${i}`;
    const e = expression(v.expression, `spec.variables.${i}.expression`);
    deps.set(name, new Set(e.needs));
    declared.add(name);
    return { name, expression: e };
  });
  const matchConditions = records(spec.matchConditions).map((m, i) => ({
    name: str(m.name) ?? `#${i}`,
    expression: expression(m.expression, `spec.matchConditions.${i}.expression`),
  }));
  const validations = records(spec.validations).map((v, i): Validation => {
    const e = expression(v.expression, `spec.validations.${i}.expression`);
    return {
      index: i,
      expression: e,
      message: str(v.message),
      messageExpression:
        v.messageExpression === undefined ? undefined : expression(v.messageExpression, `spec.validations.${i}.messageExpression`),
      reason: str(v.reason) ?? 'Invalid',
      locator: e.compiled ? locatorOf(e.compiled.expr) : { kind: 'object' },
    };
  });
  if (spec.auditAnnotations !== undefined) problems.push({ at: 'spec.auditAnnotations', messageId: 'auditIgnored', data: {} });
  const mine = bindings.filter((b) => b.spec.policyName === policy.name);
  if (mine.length === 0) problems.push({ at: 'metadata.name', messageId: 'unbound', data: {} });
  const pk = spec.paramKind as Record<string, unknown> | undefined;
  const paramKind = pk && typeof pk.kind === 'string' ? { apiVersion: str(pk.apiVersion) ?? '', kind: pk.kind } : undefined;
  if (paramKind) {
    for (const b of mine) if (!b.spec.paramRef) problems.push({ at: 'spec.paramKind', messageId: 'noParamRef', data: { binding: b.name } });
  }
  return {
    name: policy.name,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind,
    matchConstraints: spec.matchConstraints,
    variables,
    matchConditions,
    validations,
    problems,
  };
}

/**
 * Admission policies as podguard rules: one rule `policy/<name>` per ValidatingAdmissionPolicy,
 * built for one scan from the loaded PolicySet (on every thread, from the same plain data), so
 * levels, suppressions, baselines and every output treat them like the registry's rules.
 */
import type { ParsedFile } from '../parse/index.js';
import type { K8sObject } from '../parse/kubernetes.js';
import { sourceFile } from '../parse/source.js';
import { getPair } from '../parse/yaml.js';
import type { YNode, YPair } from '../parse/yaml.js';
import { safeErrorText } from '../redact.js';
import type { Rule, RuleContext, RuleMeta } from '../rule.js';
import type { Level } from '../types.js';
import { celText, isError, toCel } from './cel.js';
import type { Compiled } from './cel.js';
import { compilePolicy } from './compile.js';
import type { CompiledPolicy, Expression, Validation } from './compile.js';
import type { AdmissionObject, ParamObject, PolicySet } from './load.js';
import { resourceOf, resourcesMatch, selectorMatches } from './match.js';
import type { Candidate } from './match.js';

/** The rule id of a policy. */
export function policyRuleId(name: string): string {
  return `policy/${name}`;
}

const MESSAGES = {
  violation: '{message}',
  evalError: 'validation {validation} of admission policy {policy} could not be evaluated ({error}); failurePolicy {failurePolicy}',
  matchError: 'a matchCondition of admission policy {policy} could not be evaluated ({error}); failurePolicy {failurePolicy}',
  paramNotFound: 'no {paramKind} parameter object matches the paramRef of binding {binding} (parameterNotFoundAction: Deny)',
  unsupported: '{field} uses {what}, which podguard does not support: the expression is not evaluated, and objects are not checked by it',
  compileError: '{field} does not compile ({error}): it is not evaluated',
  auditIgnored: 'auditAnnotations are ignored: podguard writes no audit log',
  unbound: 'no ValidatingAdmissionPolicyBinding in admissionPolicies names this policy: it is not evaluated',
  noParamRef: 'binding {binding} has no paramRef, but the policy has a paramKind: the API server rejects every request it matches',
};

const ACTION_LEVEL: Record<string, Level> = { Deny: 'error', Warn: 'warning', Audit: 'note' };
const RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };
const SEVERITY: Record<Level, number> = { error: 7.5, warning: 5.0, note: 2.0 };

/** The level of a binding: its most severe validation action (Deny error, Warn warning, Audit note). */
function bindingLevel(b: AdmissionObject): Level {
  const actions = Array.isArray(b.spec.validationActions) ? (b.spec.validationActions as unknown[]) : ['Deny'];
  let level: Level = 'note';
  for (const a of actions) {
    const l = typeof a === 'string' ? ACTION_LEVEL[a] : undefined;
    if (l && RANK[l] > RANK[level]) level = l;
  }
  return level;
}

/**
 * Text the policy authored (a message, a messageExpression's result) as one short line: control
 * characters out, and nothing that could start a CI logging command.
 */
export function policyText(s: string): string {
  const line = s
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim()
    .slice(0, 500);
  return line.replace(/^(::|##)+/, '').replace(/(::|##\[|##vso)/g, (m) => m.split('').join('\u200b'));
}

function rank(a: Level, b: Level): Level {
  return RANK[a] >= RANK[b] ? a : b;
}

function meta(policy: AdmissionObject, bindings: readonly AdmissionObject[]): RuleMeta {
  const level = bindings.length === 0 ? 'note' : bindings.map(bindingLevel).reduce(rank);
  const a = policy.annotations;
  const description = policyText(
    a['podguard.dev/description'] ??
      a.description ??
      a['kubernetes.io/description'] ??
      `ValidatingAdmissionPolicy ${policy.name} from ${policy.file}.`,
  );
  return {
    id: policyRuleId(policy.name),
    title: policyText(a['podguard.dev/title'] ?? `Admission policy ${policy.name}`),
    level,
    securitySeverity: SEVERITY[level],
    precision: 'high',
    description,
    why: `${policyText(a['podguard.dev/why'] ?? a['podguard.dev/help'] ?? 'The cluster enforces this ValidatingAdmissionPolicy when the object is applied; podguard evaluates it in the pull request, before the merge.')} Defined in \`${policy.file}\`.`,
    fix: policyText(a['podguard.dev/fix'] ?? 'Change the object so that every validation of the policy holds (the message says which).'),
    tags: ['admission-policy'],
    kinds: ['kubernetes'],
    messages: MESSAGES,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function labelsOf(o: K8sObject): Record<string, string> {
  const meta = getPair(o.node, 'metadata')?.value;
  const labels = getPair(meta, 'labels')?.value;
  const out: Record<string, string> = {};
  if (labels?.kind === 'map') for (const p of labels.pairs) if (p.value.kind === 'scalar') out[p.keyText] = p.value.text;
  return out;
}

function candidateOf(o: K8sObject): Candidate {
  const slash = o.apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : o.apiVersion.slice(0, slash),
    version: slash < 0 ? o.apiVersion : o.apiVersion.slice(slash + 1),
    kind: o.kind,
    resource: resourceOf(o.kind),
    name: o.name ?? '',
    namespace: o.namespace,
    labels: labelsOf(o),
  };
}

/** The param objects a binding's paramRef selects for the object (Kubernetes' lookup rules). */
function paramsFor(policy: CompiledPolicy, binding: AdmissionObject, params: readonly ParamObject[], c: Candidate): ParamObject[] {
  const kind = policy.paramKind!;
  const ref = (binding.spec.paramRef ?? {}) as Record<string, unknown>;
  const ofKind = params.filter((p) => p.kind === kind.kind && (!kind.apiVersion || p.apiVersion === kind.apiVersion));
  const ns = str(ref.namespace);
  // Without a namespace, a namespaced param is looked up in the object's namespace.
  const inNs = (p: ParamObject): boolean =>
    ns !== undefined ? p.namespace === ns : p.namespace === undefined || p.namespace === c.namespace;
  const name = str(ref.name);
  if (name !== undefined) return ofKind.filter((p) => p.name === name && inNs(p));
  if (ref.selector !== undefined) return ofKind.filter((p) => inNs(p) && selectorMatches(ref.selector, p.labels));
  return [];
}

/** A Kubernetes object's field node by path (keys, list indexes). */
function nodeAt(root: YNode, path: readonly string[]): { node: YNode; pair: YPair | undefined; depth: number } {
  let node = root;
  let pair: YPair | undefined;
  let depth = 0;
  for (const key of path) {
    if (node.kind === 'map') {
      const p = getPair(node, key);
      if (!p) break;
      pair = p;
      node = p.value;
    } else if (node.kind === 'seq' && /^\d+$/.test(key) && Number(key) < node.items.length) {
      node = node.items[Number(key)]!;
      pair = undefined;
    } else break;
    depth++;
  }
  return { node, pair, depth };
}

interface Evaluation {
  bindings: Record<string, unknown>;
  variables: Map<string, unknown>;
  failed: Map<string, string>;
}

function run(policy: CompiledPolicy, e: Expression, ev: Evaluation): { value?: unknown; error?: string } {
  const c = e.compiled!;
  for (const name of e.needs) {
    if (ev.failed.has(name)) return { error: ev.failed.get(name)! };
    if (ev.variables.has(name)) continue;
    // Lazy, as the API server does: a variable is computed when an expression first needs it.
    const v = policy.variables.find((x) => x.name === name)!;
    const r = v.expression.compiled!.run(ev.bindings);
    if (isError(r)) {
      const msg = `variables.${name}: ${safeErrorText(r)}`;
      ev.failed.set(name, msg);
      return { error: msg };
    }
    ev.variables.set(name, r);
  }
  const r = c.run(ev.bindings);
  return isError(r) ? { error: safeErrorText(r) } : { value: r };
}

/** Kubernetes' default message of a validation without one. */
function defaultMessage(policy: CompiledPolicy, v: Validation): string {
  return `admission policy ${policy.name} denied the object: validation ${v.index} failed`;
}

/** Builds the rules of every policy in the set (none when the set is empty). */
export function policyRules(set: PolicySet | undefined): Rule[] {
  if (!set) return [];
  return set.policies.map((p) => policyRule(p, set));
}

function policyRule(policy: AdmissionObject, set: PolicySet): Rule {
  const bindings = set.bindings.filter((b) => b.spec.policyName === policy.name);
  let compiled: CompiledPolicy | undefined;
  const get = (): CompiledPolicy => (compiled ??= compilePolicy(policy, set.bindings));
  const m = meta(policy, bindings);
  return {
    meta: m,
    check(file: ParsedFile, ctx: RuleContext): void {
      if (file.kind !== 'kubernetes' || bindings.length === 0) return;
      const p = get();
      for (const o of file.objects) checkObject(p, o, bindings, set, ctx);
    },
    finish(ctx: RuleContext): void {
      const p = get();
      const file = sourceFile(policy.file, policy.file, '');
      for (const problem of p.problems) {
        const at = policy.ranges[problem.at] ?? policy.ranges['']!;
        const level: Level = problem.messageId === 'auditIgnored' || problem.messageId === 'unbound' ? 'note' : m.level;
        ctx.report({
          messageId: problem.messageId,
          data: problem.data,
          at,
          file,
          identity: `policy ${policy.name}`,
          value: problem.at,
          level,
        });
      }
    },
  };
}

/** Each object's CEL value, shared by every policy that checks it (built once, on first need). */
const celValues = new WeakMap<YNode, unknown>();

function celObject(node: YNode): unknown {
  let v = celValues.get(node);
  if (v === undefined) celValues.set(node, (v = toCel(node)));
  return v;
}

function checkObject(p: CompiledPolicy, o: K8sObject, bindings: readonly AdmissionObject[], set: PolicySet, ctx: RuleContext): void {
  const c = candidateOf(o);
  // The API server never runs admission policies on admissionregistration objects themselves.
  if (c.group === 'admissionregistration.k8s.io') return;
  const namespaces = (name: string): Record<string, string> | undefined => set.namespaces[name];
  if (!resourcesMatch(p.matchConstraints, c, namespaces)) return;
  let object: unknown;
  for (const b of bindings) {
    if (!resourcesMatch(b.spec.matchResources, c, namespaces)) continue;
    const level = bindingLevel(b);
    const errorLevel: Level = p.failurePolicy === 'Ignore' ? 'note' : level;
    object ??= celObject(o.node);
    let params: (unknown | null)[] = [null];
    if (p.paramKind) {
      if (!b.spec.paramRef) continue; // reported once, on the policy
      const found = paramsFor(p, b, set.params, c);
      if (found.length === 0) {
        const action = (b.spec.paramRef as Record<string, unknown>).parameterNotFoundAction;
        if (action !== 'Allow') {
          ctx.report({
            messageId: 'paramNotFound',
            data: { paramKind: p.paramKind.kind, binding: b.name },
            at: o.node,
            level,
            value: b.name,
          });
        }
        continue;
      }
      params = found.map((x) => x.value);
    }
    for (const param of params) evaluate(p, o, c, object, param, b, level, errorLevel, set, ctx);
  }
}

function namespaceObject(c: Candidate, set: PolicySet): unknown {
  if (c.namespace === undefined || c.kind === 'Namespace') return null;
  const labels = set.namespaces[c.namespace];
  if (!labels) return null;
  return new Map<string, unknown>([
    ['apiVersion', 'v1'],
    ['kind', 'Namespace'],
    [
      'metadata',
      new Map<string, unknown>([
        ['name', c.namespace],
        ['labels', new Map(Object.entries(labels))],
      ]),
    ],
  ]);
}

function evaluate(
  p: CompiledPolicy,
  o: K8sObject,
  c: Candidate,
  object: unknown,
  param: unknown,
  b: AdmissionObject,
  level: Level,
  errorLevel: Level,
  set: PolicySet,
  ctx: RuleContext,
): void {
  const variables = new Map<string, unknown>();
  const request = new Map<string, unknown>([
    ['operation', 'CREATE'],
    [
      'kind',
      new Map([
        ['group', c.group],
        ['version', c.version],
        ['kind', c.kind],
      ]),
    ],
    [
      'resource',
      new Map([
        ['group', c.group],
        ['version', c.version],
        ['resource', c.resource],
      ]),
    ],
    ['name', c.name],
    ['namespace', c.namespace ?? ''],
    ['userInfo', new Map<string, unknown>()],
    ['dryRun', false],
  ]);
  const ev: Evaluation = {
    bindings: { object, oldObject: null, request, params: param, namespaceObject: namespaceObject(c, set), variables },
    variables,
    failed: new Map(),
  };
  const base = { properties: { binding: b.name, action: level } };
  for (const mc of p.matchConditions) {
    if (!mc.expression.compiled) return;
    const r = run(p, mc.expression, ev);
    if (r.error !== undefined || typeof r.value !== 'boolean') {
      const error = r.error ?? 'the matchCondition did not return a bool';
      ctx.report({
        messageId: 'matchError',
        data: { policy: p.name, error, failurePolicy: p.failurePolicy },
        at: o.node,
        level: errorLevel,
        value: `${b.name}:match:${mc.name}`,
      });
      return;
    }
    if (!r.value) return;
  }
  for (const v of p.validations) {
    if (!v.expression.compiled) continue; // reported once, on the policy
    const r = run(p, v.expression, ev);
    const value = `${b.name}:${v.index}`;
    if (r.error !== undefined || typeof r.value !== 'boolean') {
      const error = r.error ?? 'the expression did not return a bool';
      ctx.report({
        messageId: 'evalError',
        data: { policy: p.name, validation: v.index, error, failurePolicy: p.failurePolicy },
        at: o.node,
        level: errorLevel,
        value,
        properties: base.properties,
      });
      continue;
    }
    if (r.value) continue;
    const message = policyText(messageOf(p, v, ev));
    const properties = { ...base.properties, reason: v.reason, validation: v.index };
    for (const at of locate(v, o, ev)) ctx.report({ messageId: 'violation', data: { message }, at, level, value, properties });
  }
}

function messageOf(p: CompiledPolicy, v: Validation, ev: Evaluation): string {
  if (v.messageExpression?.compiled) {
    const r = run(p, v.messageExpression, ev);
    // A messageExpression that fails or returns no text falls back to the message, as Kubernetes does.
    if (r.error === undefined && typeof r.value === 'string' && r.value.trim() !== '') return celText(r.value);
  }
  return v.message ?? defaultMessage(p, v);
}

/** Where a failed validation is reported: each offending item, the field, or the object. */
function locate(v: Validation, o: K8sObject, ev: Evaluation): (YNode | YPair)[] {
  const l = v.locator;
  if (l.kind === 'each') {
    const { node, depth } = nodeAt(o.node, l.path);
    if (depth === l.path.length && node.kind === 'seq') {
      const bad = node.items.filter((item) => !holds(l.pred, l.iterVar, item, ev));
      if (bad.length > 0) return bad;
    }
    return [o.node];
  }
  if (l.kind === 'field') {
    const { node, pair, depth } = nodeAt(o.node, l.path);
    if (depth === 0) return [o.node];
    return [pair ?? node];
  }
  return [o.node];
}

function holds(pred: Compiled['run'], iterVar: string, item: YNode, ev: Evaluation): boolean {
  const r = pred({ ...ev.bindings, [iterVar]: toCel(item) });
  return !isError(r) && r === true;
}

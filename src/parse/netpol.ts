/**
 * NetworkPolicy semantics shared by the NetworkPolicy rules: CIDR parsing (as the API server's
 * Go `net.ParseCIDR` accepts it), label selector validation, and whether a policy's egress can
 * reach a given IPv4 address and port. Pure: no I/O.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { asInt, asItems, asMap, asText, get, getPair } from './yaml.js';
import type { YMap, YNode, YPair } from './yaml.js';
import type { K8sObject } from './kubernetes.js';

/** A parsed CIDR. `base` is the address as written (host bits included). */
export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
  /** 32 or 128. */
  bits: number;
}

/** Parses `a.b.c.d/n` or `x:y::z/n`; returns a reason string when the API server would reject it. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'has no /prefix length (write 10.0.0.0/16, or a.b.c.d/32 for one address)';
  const addr = text.slice(0, slash);
  const len = text.slice(slash + 1);
  let family: 4 | 6;
  if (isIPv4(addr)) family = 4;
  else if (isIPv6(addr) && !addr.includes('%')) family = 6;
  else return `has an invalid ${addr.includes(':') ? 'IPv6' : 'IPv4'} address "${addr}"`;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits) return `has an invalid prefix length "/${len}" (0 to ${bits} for IPv${family})`;
  return { family, base: family === 4 ? v4ToBig(addr) : v6ToBig(addr), prefix: Number(len), bits };
}

function v4ToBig(addr: string): bigint {
  return addr.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function v6ToBig(addr: string): bigint {
  let text = addr;
  // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBig(v4[1]!);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The network address (host bits cleared). */
export function network(c: Cidr): bigint {
  const host = (1n << BigInt(c.bits - c.prefix)) - 1n;
  return c.base & ~host;
}

/** True when the CIDR was written with host bits set (`10.10.0.0/0` means 0.0.0.0/0). */
export function hasHostBits(c: Cidr): boolean {
  return network(c) !== c.base;
}

/** The canonical spelling of the network (`0.0.0.0/0`), for messages. */
export function canonical(c: Cidr): string {
  const n = network(c);
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.')}/${c.prefix}`;
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return `${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${c.prefix}`;
}

/** True when `addr` (same family) lies inside `c`. */
export function containsAddress(c: Cidr, addr: bigint): boolean {
  const shift = BigInt(c.bits - c.prefix);
  return addr >> shift === c.base >> shift;
}

/** The instance metadata endpoint (IMDS) of Azure, AWS and GCP. */
export const IMDS_ADDRESS = '169.254.169.254';
const IMDS = v4ToBig(IMDS_ADDRESS);
/** IMDS answers plain HTTP on port 80. */
const IMDS_PORT = 80;

/** A problem in a policy, as the rule reports it. */
export interface PolicyProblem {
  messageId: string;
  data: Record<string, string>;
  at: YNode | YPair;
  /** The API server accepts the policy despite this problem. */
  accepted?: boolean;
  /** Reported as a warning rather than the rule's error. */
  warning?: boolean;
}

/** What a NetworkPolicy does, as far as the IMDS rules care. */
export interface PolicyAnalysis {
  /** Problems; any not `accepted` means the API server rejects the object. */
  problems: PolicyProblem[];
  /** `spec.podSelector` selects every pod of the namespace (`{}`, `matchLabels: {}` or omitted). */
  selectsAll: boolean;
  /** `Egress` is among the policy types (written, or implied by an `egress` section). */
  egress: boolean;
  /** Where an egress rule lets traffic reach IMDS (undefined when no rule does). */
  allowsImdsAt: YNode | YPair | undefined;
}

/** True when the API server would reject the policy. */
export function rejected(a: PolicyAnalysis): boolean {
  return a.problems.some((p) => !p.accepted);
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);
const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length > 2) return 'has more than one "/"';
  if (parts.length === 2 && (parts[0]!.length > 253 || !DNS_SUBDOMAIN.test(parts[0]!))) return 'has an invalid prefix';
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return 'is not a valid label name';
  return undefined;
}

function labelValueProblem(node: YNode): string | undefined {
  if (node.kind !== 'scalar') return 'is not a string';
  if (node.value === null) return undefined;
  if (typeof node.value !== 'string') return `is a ${typeof node.value}, not a string (quote it: "${node.text}")`;
  const v = node.text;
  if (v.length > 63 || (v.length > 0 && !LABEL_NAME.test(v))) return 'is not a valid label value';
  return undefined;
}

/** Per-key constraints of a selector, to tell a selector that can never match. */
interface KeyConstraint {
  /** Values the key must take (intersection of equalities and `In` lists); undefined: any. */
  allowed?: Set<string>;
  notIn: Set<string>;
  exists: boolean;
  doesNotExist: boolean;
}

/** True for an explicit null (`key:`, `key: null`, `key: ~`): the API server reads it as absent. */
function isNull(node: YNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/**
 * The label constraints of a selector, key by key, in the order the keys first appear, to tell a
 * selector that can never match.
 */
class Constraints {
  private readonly byKey = new Map<string, KeyConstraint>();

  get size(): number {
    return this.byKey.size;
  }

  /** The label must have one of `values` (`matchLabels` entries and `In`). */
  oneOf(key: string, values: readonly string[]): void {
    const c = this.of(key);
    c.exists = true;
    c.allowed = new Set(c.allowed ? values.filter((v) => c.allowed!.has(v)) : values);
  }

  /** Applies a valid `matchExpressions` entry. */
  expression(key: string, op: string, values: readonly string[]): void {
    if (op === 'In') return this.oneOf(key, values);
    const c = this.of(key);
    if (op === 'NotIn') for (const v of values) c.notIn.add(v);
    else if (op === 'Exists') c.exists = true;
    else c.doesNotExist = true;
  }

  /** Why no set of labels satisfies every constraint (the first key that cannot be met); undefined when one does. */
  contradiction(): string | undefined {
    for (const [key, c] of this.byKey) {
      const left = c.allowed ? [...c.allowed].filter((v) => !c.notIn.has(v)) : undefined;
      if (c.doesNotExist && c.exists) return `label "${key}" must both exist and not exist`;
      if (left && left.length === 0) return `no value of label "${key}" satisfies every condition`;
    }
    return undefined;
  }

  private of(key: string): KeyConstraint {
    let c = this.byKey.get(key);
    if (!c) this.byKey.set(key, (c = { notIn: new Set(), exists: false, doesNotExist: false }));
    return c;
  }
}

/**
 * Validates a label selector and says when it can match nothing. `where` names it in messages.
 * Problems are pushed to `out`; returns true when the selector is empty (selects everything).
 */
function checkSelector(pair: YPair, where: string, out: PolicyProblem[]): boolean {
  const sel = pair.value;
  if (isNull(sel)) return true;
  if (sel.kind !== 'map') {
    out.push({ messageId: 'selectorMalformed', data: { where, reason: 'is not a mapping (write matchLabels: {key: value})' }, at: pair });
    return false;
  }
  const before = out.length;
  for (const p of sel.pairs) {
    if (!SELECTOR_FIELDS.has(p.keyText)) out.push({ messageId: 'selectorUnknownField', data: { where, field: p.keyText }, at: p });
  }
  const constraints = new Constraints();
  checkMatchLabels(sel, where, out, constraints);
  checkMatchExpressions(sel, where, out, constraints);
  if (out.length > before) return false;
  const why = constraints.contradiction();
  if (why) {
    out.push({ messageId: 'selectsNothing', data: { where, reason: why }, at: pair, accepted: true });
    return false;
  }
  return constraints.size === 0;
}

/** `matchLabels`: each label's key and value, valid ones added to `constraints`. */
function checkMatchLabels(sel: YMap, where: string, out: PolicyProblem[], constraints: Constraints): void {
  const labelsPair = getPair(sel, 'matchLabels');
  if (!labelsPair || isNull(labelsPair.value)) return;
  const labels = asMap(labelsPair.value);
  if (!labels) {
    out.push({ messageId: 'selectorMalformed', data: { where, reason: 'has a matchLabels that is not a mapping' }, at: labelsPair });
    return;
  }
  for (const p of labels.pairs) {
    const keyProblem = labelKeyProblem(p.keyText);
    const valueProblem = labelValueProblem(p.value);
    const reason = keyProblem ? `that ${keyProblem}` : valueProblem ? `whose value ${valueProblem}` : undefined;
    if (reason) out.push({ messageId: 'selectorMalformed', data: { where, reason: `has label "${p.keyText}" ${reason}` }, at: p });
    else constraints.oneOf(p.keyText, [asText(p.value) ?? '']);
  }
}

/** `matchExpressions`: each entry as the API server validates it, valid ones added to `constraints`. */
function checkMatchExpressions(sel: YMap, where: string, out: PolicyProblem[], constraints: Constraints): void {
  const exprPair = getPair(sel, 'matchExpressions');
  if (!exprPair || isNull(exprPair.value)) return;
  if (exprPair.value.kind !== 'seq') {
    out.push({ messageId: 'selectorMalformed', data: { where, reason: 'has a matchExpressions that is not a list' }, at: exprPair });
  }
  for (const item of asItems(exprPair.value)) {
    const reason = expressionProblem(item);
    if (reason) out.push({ messageId: 'selectorMalformed', data: { where, reason }, at: item });
    else
      constraints.expression(
        asText(get(item, 'key'))!,
        asText(get(item, 'operator'))!,
        asItems(get(item, 'values')).map((v) => asText(v) ?? ''),
      );
  }
}

/** What is wrong with one `matchExpressions` entry, as a selector message ends; undefined when it is valid. */
function expressionProblem(item: YNode): string | undefined {
  if (item.kind !== 'map') return 'has a matchExpressions entry that is not a mapping';
  const key = asText(get(item, 'key'));
  const op = asText(get(item, 'operator'));
  const valuesNode = get(item, 'values');
  const values = asItems(valuesNode);
  const hasValues = valuesNode !== undefined && !isNull(valuesNode);
  if (!key) return 'has a matchExpressions entry without a key';
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) return `has a matchExpressions key "${key}" that ${keyProblem}`;
  if (!op || !OPERATORS.has(op)) return `has an unknown operator "${op ?? ''}" (In, NotIn, Exists or DoesNotExist)`;
  if ((op === 'In' || op === 'NotIn') && values.length === 0) return `uses ${op} on "${key}" without values`;
  if ((op === 'Exists' || op === 'DoesNotExist') && hasValues && values.length > 0) return `uses ${op} on "${key}" with values`;
  if (hasValues && valuesNode.kind !== 'seq') return `has values for "${key}" that are not a list`;
  const bad = values.find((v) => labelValueProblem(v) !== undefined || isNull(v));
  return bad ? `has a value for "${key}" that ${labelValueProblem(bad) ?? 'is empty (null)'}` : undefined;
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** Validates one entry of a rule's `ports` as the API server does. */
function checkPort(port: YNode, out: PolicyProblem[]): void {
  const reason = portProblem(port);
  if (reason) out.push({ messageId: 'portInvalid', data: { reason }, at: port });
}

function portProblem(port: YNode): string | undefined {
  if (port.kind !== 'map') return 'a ports entry is not a mapping';
  const protocol = get(port, 'protocol');
  if (protocol && asText(protocol) !== undefined && !PROTOCOLS.has(asText(protocol)!)) {
    return `protocol "${asText(protocol)!}" is not TCP, UDP or SCTP`;
  }
  const p = get(port, 'port');
  const endNode = get(port, 'endPort');
  const end = endNode && !isNull(endNode) ? asInt(endNode) : undefined;
  const hasPort = p !== undefined && !isNull(p);
  const n = hasPort ? asInt(p) : undefined;
  if (hasPort && n === undefined) {
    const name = asText(p) ?? '';
    if (!PORT_NAME.test(name)) return `port "${name}" is neither a number nor a valid port name`;
    if (endNode) return `endPort needs a numeric port, not the named port "${name}"`;
  }
  if (n !== undefined && (n < 1 || n > 65535)) return `port ${n} is outside 1-65535`;
  if (endNode && end === undefined) return 'endPort is not a number';
  if (end !== undefined && !hasPort) return 'endPort needs a port';
  if (end !== undefined && n !== undefined && (end < n || end > 65535)) return `endPort ${end} is below port ${n} or above 65535`;
  return undefined;
}

function portAllows(port: YNode, target: number): boolean {
  const protocol = asText(get(port, 'protocol')) ?? 'TCP';
  if (protocol !== 'TCP') return false;
  const p = get(port, 'port');
  if (p === undefined || isNull(p)) return true;
  const n = asInt(p);
  // A named port resolves against the destination pod's containers; IMDS is not a pod.
  if (n === undefined) return false;
  const end = asInt(get(port, 'endPort')) ?? n;
  return target >= n && target <= end;
}

function checkIpBlock(block: YMap, at: YPair, out: PolicyProblem[]): Cidr | undefined {
  const cidrPair = getPair(block, 'cidr');
  const cidrText = asText(cidrPair?.value);
  if (!cidrPair || cidrText === undefined) {
    out.push({ messageId: 'cidrMissing', data: {}, at });
    return undefined;
  }
  const cidr = parseCidr(cidrText);
  if (typeof cidr === 'string') {
    out.push({ messageId: 'cidrInvalid', data: { cidr: cidrText, reason: cidr }, at: cidrPair.value });
    return undefined;
  }
  if (hasHostBits(cidr)) {
    out.push({
      messageId: 'cidrHostBits',
      data: { cidr: cidrText, canonical: canonical(cidr) },
      at: cidrPair.value,
      accepted: true,
      warning: true,
    });
  }
  for (const e of asItems(get(block, 'except'))) {
    const t = asText(e);
    const ex = t === undefined ? 'is not a CIDR string' : parseCidr(t);
    if (typeof ex === 'string') {
      out.push({ messageId: 'cidrInvalid', data: { cidr: t ?? '', reason: ex }, at: e });
      continue;
    }
    if (ex.family !== cidr.family || ex.prefix <= cidr.prefix || !containsAddress(cidr, ex.base)) {
      const reason =
        ex.family !== cidr.family
          ? `is IPv${ex.family} but its cidr "${cidrText}" is IPv${cidr.family}`
          : `is not a strict subset of its cidr "${cidrText}"`;
      out.push({ messageId: 'exceptOutside', data: { except: t ?? '', reason }, at: e });
    }
  }
  return cidr;
}

function blockAllowsImds(block: YMap): boolean {
  const cidr = parseCidr(asText(get(block, 'cidr')) ?? '');
  if (typeof cidr === 'string' || cidr.family !== 4 || !containsAddress(cidr, IMDS)) return false;
  for (const e of asItems(get(block, 'except'))) {
    const ex = parseCidr(asText(e) ?? '');
    if (typeof ex !== 'string' && ex.family === 4 && containsAddress(ex, IMDS)) return false;
  }
  return true;
}

/** Analyses one NetworkPolicy object. */
export function analyzePolicy(obj: K8sObject): PolicyAnalysis {
  const problems: PolicyProblem[] = [];
  const spec = asMap(get(obj.node, 'spec'));
  const result: PolicyAnalysis = { problems, selectsAll: false, egress: false, allowsImdsAt: undefined };
  if (!spec) {
    problems.push({ messageId: 'noSpec', data: { policy: obj.label }, at: getPair(obj.node, 'kind') ?? obj.node });
    return result;
  }
  const podSelector = getPair(spec, 'podSelector');
  // podSelector is a struct, not a pointer, in the API: omitting it means the empty selector.
  result.selectsAll = podSelector ? checkSelector(podSelector, 'spec.podSelector', problems) : true;

  const typesPair = getPair(spec, 'policyTypes');
  const egressPair = getPair(spec, 'egress');
  if (typesPair) {
    for (const t of asItems(typesPair.value)) {
      const v = asText(t);
      if (v !== 'Ingress' && v !== 'Egress') problems.push({ messageId: 'policyType', data: { type: v ?? '' }, at: t });
      if (v === 'Egress') result.egress = true;
    }
    if (typesPair.value.kind !== 'seq' && !isNull(typesPair.value)) {
      problems.push({ messageId: 'policyType', data: { type: asText(typesPair.value) ?? 'a mapping' }, at: typesPair });
    }
  } else {
    // Without policyTypes, Kubernetes adds Egress only when the policy has egress rules.
    result.egress = asItems(egressPair?.value).length > 0;
  }

  for (const [section, peerKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    for (const rule of asItems(get(spec, section))) {
      const peersNode = get(rule, peerKey);
      const peers = asItems(peersNode);
      const portsNode = get(rule, 'ports');
      const ports = asItems(portsNode);
      for (const p of ports) checkPort(p, problems);
      let reachesImds = peers.length === 0 ? rule : undefined;
      for (const peer of peers) {
        const block = getPair(peer, 'ipBlock');
        for (const key of ['podSelector', 'namespaceSelector']) {
          const p = getPair(peer, key);
          if (p) checkSelector(p, `${section}.${peerKey}.${key}`, problems);
        }
        if (block && (getPair(peer, 'podSelector') || getPair(peer, 'namespaceSelector'))) {
          problems.push({ messageId: 'ipBlockCombined', data: {}, at: block });
        }
        const blockMap = block ? asMap(block.value) : undefined;
        if (block && !blockMap) problems.push({ messageId: 'cidrMissing', data: {}, at: block });
        if (block && blockMap) {
          checkIpBlock(blockMap, block, problems);
          if (section === 'egress' && !reachesImds && blockAllowsImds(blockMap)) reachesImds = get(blockMap, 'cidr') ?? blockMap;
        }
      }
      if (
        section === 'egress' &&
        reachesImds &&
        !result.allowsImdsAt &&
        (ports.length === 0 || ports.some((p) => portAllows(p, IMDS_PORT)))
      ) {
        result.allowsImdsAt = reachesImds;
      }
    }
  }
  return result;
}

/** True for NetworkPolicy objects of the core networking API. */
export function isNetworkPolicy(obj: K8sObject): boolean {
  return obj.kind === 'NetworkPolicy' && (obj.apiVersion === 'networking.k8s.io/v1' || obj.apiVersion === 'extensions/v1beta1');
}

/** The namespace an object lands in when applied without `-n` (Kubernetes' default). */
export function namespaceOf(obj: K8sObject): string {
  return obj.namespace ?? 'default';
}

/**
 * Loading `admissionPolicies:`: ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * objects, their param objects and Namespace objects, from files and folders of the repository.
 * Reads follow the scan's rules: regular files inside the repository (after symlinks), capped at
 * `maxFileBytes`; nothing is fetched from the network. The result is plain data (it crosses to
 * worker threads with the plan).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { k8sObjects } from '../parse/kubernetes.js';
import { decode, rangeOf, sourceFile } from '../parse/source.js';
import type { SourceFile } from '../parse/source.js';
import { parseYaml, toJS } from '../parse/yaml.js';
import type { YNode } from '../parse/yaml.js';
import { ConfigurationError } from '../types.js';
import type { Range } from '../types.js';
import { toCel } from './cel.js';

/** The API group and version of the admission objects podguard evaluates. */
export const ADMISSION_API = 'admissionregistration.k8s.io/v1';
/** Files read at most from the configured paths. */
const MAX_FILES = 2000;

/** A policy or binding as written, with the ranges of its keys for findings about it. */
export interface AdmissionObject {
  /** The file, relative to the root. */
  file: string;
  name: string;
  /** The object as plain data. */
  spec: Record<string, unknown>;
  /** Ranges by dotted key path (`spec.validations.0.expression`); `''` is the object itself. */
  ranges: Record<string, Range>;
  annotations: Record<string, string>;
}

/** A param object (any kind a policy names in paramKind). */
export interface ParamObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  /** The whole object as a CEL value. */
  value: unknown;
}

/** Everything `admissionPolicies:` holds. Plain data. */
export interface PolicySet {
  policies: AdmissionObject[];
  bindings: AdmissionObject[];
  params: ParamObject[];
  /** Labels of Namespace objects found in the policy paths, by name. */
  namespaces: Record<string, Record<string, string>>;
}

function textMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v))
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string') out[k] = x;
  return out;
}

function keyRanges(file: SourceFile, node: YNode, prefix: string, out: Record<string, Range>, depth: number): void {
  if (depth > 8) return;
  if (node.kind === 'map') {
    for (const p of node.pairs) {
      const path = prefix ? `${prefix}.${p.keyText}` : p.keyText;
      out[path] = rangeOf(file, p);
      keyRanges(file, p.value, path, out, depth + 1);
    }
  } else if (node.kind === 'seq') {
    node.items.forEach((item, i) => {
      const path = `${prefix}.${i}`;
      out[path] = rangeOf(file, item);
      keyRanges(file, item, path, out, depth + 1);
    });
  }
}

/** Reads one file the way the scan does: opened without blocking, regular, within the size cap. */
function readRegular(abs: string, label: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigurationError(`admissionPolicies: ${label} is not a regular file`);
    if (st.size > maxBytes)
      throw new ConfigurationError(`admissionPolicies: ${label} is ${st.size} bytes, over maxFileBytes (${maxBytes})`);
    const decoded = decode(readFileSync(fd));
    if (!decoded.ok) throw new ConfigurationError(`admissionPolicies: ${label} cannot be read: ${decoded.reason}`);
    return decoded.text;
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    throw new ConfigurationError(`admissionPolicies: ${label} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function inside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/** The YAML and JSON files a configured entry names, sorted, relative to the root. */
function filesOf(root: string, realRoot: string, entry: string): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    throw new ConfigurationError(
      `admissionPolicies: "${entry.slice(0, 80)}" is a URL; podguard never fetches policies: name the file or folder by its path in the repository`,
    );
  }
  const abs = resolve(root, entry.replace(/^\/+/, ''));
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new ConfigurationError(`admissionPolicies: ${entry} does not exist`);
  }
  if (!inside(realRoot, real)) throw new ConfigurationError(`admissionPolicies: ${entry} is outside the repository`);
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        if (!name.startsWith('.')) visit(p);
      } else if ((st.isFile() || st.isSymbolicLink()) && /\.(ya?ml|json)$/i.test(name)) {
        let target: string;
        try {
          target = realpathSync(p);
        } catch {
          continue;
        }
        if (!inside(realRoot, target)) throw new ConfigurationError(`admissionPolicies: ${relative(root, p)} links outside the repository`);
        out.push(p);
      }
      if (out.length > MAX_FILES) throw new ConfigurationError(`admissionPolicies: more than ${MAX_FILES} files under ${entry}`);
    }
  };
  if (lstatSync(real).isDirectory()) visit(real);
  else out.push(abs);
  return out;
}

/**
 * Loads the policies, bindings, params and namespaces `entries` name (paths relative to `root`;
 * a leading `/` means the repository root too). Throws ConfigurationError for a path that is
 * missing, outside the repository or a URL, a file that is not YAML, a policy without a name, and
 * a binding whose policy is not among the files.
 */
export function loadPolicies(root: string, entries: readonly string[], maxFileBytes: number): PolicySet {
  const set: PolicySet = { policies: [], bindings: [], params: [], namespaces: {} };
  if (entries.length === 0) return set;
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  for (const entry of entries) {
    for (const abs of filesOf(root, realRoot, entry)) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      const rel = relative(root, abs).split(sep).join('/');
      const text = readRegular(abs, rel, maxFileBytes);
      const parsed = parseYaml(text);
      const problem = parsed.problems.find((p) => p.kind === 'syntax' || p.kind === 'alias-limit');
      if (problem) {
        const line = text.slice(0, problem.offset).split('\n').length;
        throw new ConfigurationError(`admissionPolicies: ${rel}:${line} is not valid YAML`);
      }
      const file = sourceFile(abs, rel, text);
      for (const o of k8sObjects(parsed.docs)) addObject(set, file, o.node, o.apiVersion, o.kind, o.name, o.namespace);
    }
  }
  const names = new Set<string>();
  for (const p of set.policies) {
    if (names.has(p.name)) throw new ConfigurationError(`admissionPolicies: ValidatingAdmissionPolicy ${p.name} is defined twice`);
    names.add(p.name);
  }
  // In a cluster a binding may wait for its policy; here it is a typo or a file left out.
  for (const b of set.bindings) {
    const policy = b.spec.policyName;
    if (typeof policy !== 'string' || !names.has(policy)) {
      throw new ConfigurationError(
        `admissionPolicies: ${b.file}: ValidatingAdmissionPolicyBinding ${b.name} names ${typeof policy === 'string' ? `policy ${policy.slice(0, 253)}, which no configured file defines` : 'no policyName'}`,
      );
    }
  }
  return set;
}

function addObject(
  set: PolicySet,
  file: SourceFile,
  node: YNode,
  apiVersion: string,
  kind: string,
  name: string | undefined,
  namespace: string | undefined,
): void {
  const data = toJS(node) as Record<string, unknown>;
  const meta = (data.metadata ?? {}) as Record<string, unknown>;
  const labels = textMap(meta.labels);
  const admission = kind === 'ValidatingAdmissionPolicy' || kind === 'ValidatingAdmissionPolicyBinding';
  if (admission && apiVersion !== ADMISSION_API) {
    throw new ConfigurationError(`admissionPolicies: ${file.path}: ${kind} must be ${ADMISSION_API} (podguard evaluates the GA API only)`);
  }
  if (admission) {
    if (!name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
      throw new ConfigurationError(
        `admissionPolicies: ${file.path}: a ${kind} needs a metadata.name of lowercase letters, digits, '-' and '.'`,
      );
    }
    const ranges: Record<string, Range> = { '': rangeOf(file, node) };
    keyRanges(file, node, '', ranges, 0);
    const obj: AdmissionObject = {
      file: file.path,
      name,
      spec: (data.spec ?? {}) as Record<string, unknown>,
      ranges,
      annotations: textMap(meta.annotations),
    };
    (kind === 'ValidatingAdmissionPolicy' ? set.policies : set.bindings).push(obj);
    return;
  }
  if (kind === 'Namespace' && apiVersion === 'v1' && name) set.namespaces[name] = labels;
  set.params.push({ apiVersion, kind, name: name ?? '', namespace, labels, value: toCel(node) });
}

/** What addScannedNamespaces reads at most, in all (bytes): a cheap pre-pass, never a second scan. */
const MAX_NAMESPACE_PREPASS_BYTES = 64 << 20;

/**
 * Adds the labels of `Namespace` objects found among the scanned manifests (files of the scan,
 * not rendered streams) to the set, for namespaceSelector and `namespaceObject`. A Namespace the
 * policy paths define wins over one of the same name in the scanned files. Only files whose text
 * holds a `kind: Namespace` line are parsed; unreadable files are left to the scan to report.
 * Returns the number of Namespace objects added.
 */
export function addScannedNamespaces(
  set: PolicySet,
  files: readonly { absPath: string; relPath: string; nameKind?: string; rendered?: boolean; partial?: boolean }[],
  maxFileBytes: number,
): number {
  let budget = MAX_NAMESPACE_PREPASS_BYTES;
  let added = 0;
  const fromPolicies = new Set(Object.keys(set.namespaces));
  for (const f of files) {
    if (f.rendered || f.partial || !/\.(ya?ml|json)$/i.test(f.relPath)) continue;
    let text: string;
    try {
      text = readRegular(f.absPath, f.relPath, Math.min(maxFileBytes, budget));
    } catch {
      continue;
    }
    budget -= text.length;
    if (
      !/^[ \t]*(-[ \t]+)?["']?kind["']?[ \t]*:[ \t]*["']?Namespace["']?[ \t]*(#.*)?$/m.test(text) &&
      !/"kind"\s*:\s*"Namespace"/.test(text)
    )
      continue;
    const parsed = parseYaml(text);
    for (const o of k8sObjects(parsed.docs)) {
      if (o.kind !== 'Namespace' || o.apiVersion !== 'v1' || !o.name || fromPolicies.has(o.name)) continue;
      const meta = ((toJS(o.node) as Record<string, unknown>).metadata ?? {}) as Record<string, unknown>;
      set.namespaces[o.name] = textMap(meta.labels);
      added++;
    }
    if (budget <= 0) break;
  }
  return added;
}

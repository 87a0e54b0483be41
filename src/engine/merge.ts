/**
 * Merging batch results in file order on the main thread: findings, secrets, suppression
 * directives, counts and the cross-file rules' states; then the cross-file rules finish.
 */
import { types } from 'node:util';
import { safeErrorText } from '../redact.js';
import { rangeOf } from '../parse/source.js';
import type { Report } from '../rule.js';
import { rule as internalError } from '../rules/internal-error.js';
import type { Directive } from '../suppress/directives.js';
import { FILE_KINDS } from '../types.js';
import type { FileKind } from '../types.js';
import type { BatchResult } from './check.js';
import { reportsMissingField } from './check.js';
import type { Collector } from './collector.js';
import type { ActiveRule } from './plan.js';
import type { SystemFindings } from './system-findings.js';

/** What the batches found together (findings and secrets went into the scan's collector). */
export interface Merged {
  /** Suppression directives of the checked files (rendered streams' comments left out), by file. */
  directives: Map<string, Directive[]>;
  /** podguard.dev/ignore annotations of rendered streams, by stream: applied before the remap. */
  renderedDirectives: Map<string, Directive[]>;
  templatesNotRendered: string[];
  filesScanned: Record<FileKind, number>;
  /** The cross-file states, merged in file order, by rule id. */
  states: Map<string, unknown>;
}

/**
 * Merges the cross-file state one batch built into the state of the batches before it. States are
 * made of arrays (concatenated), Sets (united), Maps and plain objects (merged key by key); merged
 * in file order, the result is what one thread checking every file in order would have built.
 * Anything else must be equal on both sides: a rule whose state cannot merge fails loudly.
 */
export function mergeState(into: unknown, from: unknown, path = 'state'): unknown {
  // util.types, not instanceof: states cloned from a worker (or built in another realm, as under
  // jest) have other realms' constructors.
  if (Array.isArray(into) && Array.isArray(from)) {
    for (const x of from) into.push(x);
    return into;
  }
  if (types.isSet(into) && types.isSet(from)) {
    for (const x of from as Set<unknown>) (into as Set<unknown>).add(x);
    return into;
  }
  if (types.isMap(into) && types.isMap(from)) {
    const m = into as Map<unknown, unknown>;
    for (const [k, v] of from as Map<unknown, unknown>) m.set(k, m.has(k) ? mergeState(m.get(k), v, `${path}.${String(k)}`) : v);
    return into;
  }
  if (isPlainObject(into) && isPlainObject(from)) {
    for (const [k, v] of Object.entries(from)) into[k] = k in into ? mergeState(into[k], v, `${path}.${k}`) : v;
    return into;
  }
  if (Object.is(into, from)) return into;
  throw new Error(`cannot merge cross-file rule state at ${path}: only arrays, Sets, Maps and plain objects merge`);
}

/** An object literal (of any realm): its prototype is some realm's Object.prototype, or null. */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Object.prototype.toString.call(x) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(x) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A rule failure that belongs to no file (merging or finishing cross-file state). */
function scanError(system: SystemFindings, ruleId: string, err: unknown): void {
  system.report({ rule: internalError, message: 'rule', file: '.', data: { rule: ruleId, error: safeErrorText(err) } });
}

/**
 * Merges batch results, in batch order, into the scan's collector as they come in (each result
 * can be dropped once added). `rendered`: paths of rendered streams, whose comments are the
 * templates' (read from the templates after the remap).
 */
export class BatchMerger {
  readonly merged: Merged;

  constructor(
    active: readonly ActiveRule[],
    private readonly to: { out: Collector; system: SystemFindings; rendered: ReadonlySet<string> },
  ) {
    this.merged = {
      directives: new Map(),
      renderedDirectives: new Map(),
      templatesNotRendered: [],
      filesScanned: { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 },
      states: new Map(active.flatMap((a) => (a.rule.initialState ? [[a.rule.meta.id, a.rule.initialState()]] : []))),
    };
  }

  /** Adds the next batch's result. */
  add(r: BatchResult): void {
    const { out, system, rendered } = this.to;
    const merged = this.merged;
    if (r.local) out.take(r.findings);
    else out.adopt(r.findings);
    for (const secret of r.secrets) out.redactor.add(secret);
    for (const [file, found] of r.directives) {
      if (!rendered.has(file)) merged.directives.set(file, found);
      else
        merged.renderedDirectives.set(
          file,
          found.filter((d) => d.form === 'annotation'),
        );
    }
    for (const t of r.templates) merged.templatesNotRendered.push(t);
    for (const k of FILE_KINDS) merged.filesScanned[k] += r.filesScanned[k];
    for (const [id, state] of r.states) {
      try {
        mergeState(merged.states.get(id), state);
      } catch (err) {
        scanError(system, id, err);
      }
    }
  }
}

/**
 * Runs every cross-file rule's `finish` over its merged state. `partialFiles`: kustomize patches
 * checked without rendering, where an absent field is written elsewhere.
 */
export function finishCrossFile(
  active: readonly ActiveRule[],
  states: ReadonlyMap<string, unknown>,
  to: { out: Collector; system: SystemFindings; partialFiles: ReadonlySet<string> },
): void {
  const { out, system, partialFiles } = to;
  out.endFile();
  for (const a of active) {
    const { rule } = a;
    if (!rule.finish) continue;
    const { options, settings, partial } = a.context;
    const report = (r: Report): void => {
      if (!r.file) throw new Error(`rule ${rule.meta.id} reported from finish() without a file`);
      if (partialFiles.has(r.file.path) && reportsMissingField(r)) return;
      out.add(a, r.file.path, rangeOf(r.file, r.at), r);
    };
    try {
      rule.finish({ options, settings, partial, crossFile: states.get(rule.meta.id), report });
    } catch (err) {
      scanError(system, rule.meta.id, err);
    }
  }
}

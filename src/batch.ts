/**
 * Checking files: read, decode, parse, run every per-file rule, collect findings. The same code
 * runs on the main thread and in worker threads (`workers.ts`); a batch's result is plain data, so
 * it crosses threads by structured clone and the main thread merges batches in file order.
 */
import { hash as cryptoHash, scryptSync } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { types } from 'node:util';
import type { Candidate } from './collect/collect.js';
import type { Settings } from './config/settings.js';
import { hasTemplateMarks, isChartTemplate, parseFile } from './parse/index.js';
import type { ParsedFile, YamlFile } from './parse/index.js';
import { identityAt } from './parse/scope.js';
import { decode, rangeOf, sourceFile } from './parse/source.js';
import { readDotenv } from './parse/dotenv.js';
import type { SourceFile } from './parse/source.js';
import { Redactor, maskValues, safeErrorText } from './redact.js';
import { safeMessageData } from './safe-text.js';
import { formatMessage } from './rule.js';
import type { At, Report, Rule, RuleContext } from './rule.js';
import { readDirectives } from './suppress/directives.js';
import type { Directive } from './suppress/directives.js';
import type { FileKind, Finding, Level, Range } from './types.js';

const FINGERPRINT_SALT = 'podguard-fp-v1';
const SECRET_SALT = 'podguard-secret-fp-v1';
/** The rule that scans a file's text for tokens, whatever its shape. */
const TEXT_SCAN_RULE = 'secret-token';
/** Engine findings carry podguard's own texts (parse errors with hints): a longer cap. */
const SYSTEM_ECHO = 600;

/** A rule enabled for this scan, at its resolved level, with its context. */
export interface ActiveRule {
  rule: Rule;
  level: Level;
  ctx: RuleContext;
}

/** What checking a run of files produced: plain data (it crosses threads). */
export interface BatchResult {
  findings: Finding[];
  /** Secret values found (for the scan's redactor). */
  secrets: string[];
  /** Suppression directives by file. */
  directives: [string, Directive[]][];
  filesScanned: Record<FileKind, number>;
  /** State of the cross-file rules (those with `finish`) built from these files, by rule id. */
  states: [string, Map<string, unknown>][];
  /** Helm chart templates left unchecked (not rendered), by path: reported, never dropped silently. */
  templates: string[];
}

/**
 * A securityContext at the wrong indentation (as Microsoft's Dutch AKS article prints it) breaks
 * the YAML at that line; say where the block has to line up.
 */
function indentHint(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*securityContext[ \t]*:/.test(text.slice(lineStart, lineStart + 100))
    ? " (a container securityContext must line up with that container's name: and image: keys; a pod-level one with containers:)"
    : '';
}

function hash(parts: readonly string[]): string {
  // crypto.hash (one call, no Hash object) took a quarter of the time of createHash().update()
  // .digest() per finding, profiled on 67,000 findings. Slicing the 64-character hex would keep
  // the whole digest alive behind each fingerprint (a V8 sliced string); the case round trip
  // makes a flat 32-character copy for a few nanoseconds.
  return cryptoHash('sha256', `${FINGERPRINT_SALT}\0${parts.join('\0')}`, 'hex')
    .slice(0, 32)
    .toUpperCase()
    .toLowerCase();
}

/**
 * A deliberately slow salted digest of a secret for its fingerprint: fingerprints are published
 * (SARIF, baselines), and a fast hash of a short password could be confirmed by guessing.
 * N=1024 makes each guess as costly as the scan's one digest per distinct secret.
 */
function secretDigest(secret: string): string {
  return scryptSync(secret, SECRET_SALT, 16, { N: 1024, r: 8, p: 1 }).toString('hex');
}

/** A per-document view of a YAML file, so a rule failure is contained to one document. */
function documentViews(file: YamlFile): YamlFile[] {
  if (file.docs.length <= 1) return [file];
  // Group in one pass: filtering per document is quadratic in a file of thousands of documents.
  const objects = new Map<number, YamlFile['objects']>();
  const workloads = new Map<number, YamlFile['workloads']>();
  for (const o of file.objects) push(objects, o.docIndex, o);
  for (const w of file.workloads) push(workloads, w.object.docIndex, w);
  return file.docs.map((doc) => ({
    ...file,
    docs: [doc],
    objects: objects.get(doc.index) ?? [],
    workloads: workloads.get(doc.index) ?? [],
  }));
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Turns rule reports into findings: levels, fingerprints, redaction, compact storage. */
export class Collector {
  readonly findings: Finding[] = [];
  readonly redactor = new Redactor();
  /**
   * Fingerprints seen in the current file (they include the file's path, so they cannot collide
   * across files); cleared per file so memory does not grow with the repository.
   */
  private fpCounts = new Map<string, number>();
  /**
   * The current file's identities and ranges, so findings about the same container share one
   * string and one range object: a large scan holds hundreds of thousands of findings, and
   * sharing roughly halves the memory each one takes.
   */
  private identities = new Map<string, string>();
  private ranges = new Map<string, Range>();
  private file: string | undefined;
  // Per scan, so no secret outlives the scan in a module-level cache.
  private readonly digests = new Map<string, string>();

  private digest(secret: string): string {
    let d = this.digests.get(secret);
    if (d === undefined) this.digests.set(secret, (d = secretDigest(secret)));
    return d;
  }

  /** Forgets the current file's fingerprints and shared values (called between files). */
  endFile(): void {
    this.fpCounts = new Map();
    this.identities = new Map();
    this.ranges = new Map();
    this.file = undefined;
  }

  private intern(identity: string): string {
    const known = this.identities.get(identity);
    if (known !== undefined) return known;
    // A rule's identity is often a concatenation (a rope of small strings): keep a flat copy.
    const flat = identity.length > 0 ? Buffer.from(identity, 'utf8').toString('utf8') : '';
    this.identities.set(flat, flat);
    return flat;
  }

  private shared(range: Range): Range {
    const { start, end } = range;
    const key = `${start.line}:${start.column}:${end.line}:${end.column}`;
    let r = this.ranges.get(key);
    if (!r) {
      r = Object.freeze({
        start: Object.freeze({ line: start.line, column: start.column }),
        end: Object.freeze({ line: end.line, column: end.column }),
      });
      this.ranges.set(key, r);
    }
    return r;
  }

  /**
   * Takes findings made elsewhere (another thread's batch), sharing identities and ranges per file
   * again: structured cloning gives every finding its own copies.
   */
  adopt(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (f.file !== this.file) {
        this.endFile();
        this.file = f.file;
      }
      f.identity = this.intern(f.identity);
      f.range = this.shared(f.range);
      this.findings.push(f);
    }
    this.endFile();
  }

  add(rule: Rule, level: Level, file: SourceFile, r: Report): void {
    if (r.secret) this.redactor.add(r.secret);
    for (const form of r.secretForms ?? []) this.redactor.add(form);
    const configured = r.level && level === rule.meta.level ? r.level : level;
    const identity = this.intern(r.identity ?? '');
    const value = r.secret ? `secret:${this.digest(r.secret)}` : (r.value ?? '');
    let fp = hash([rule.meta.id, file.path, identity, r.messageId, value]);
    const n = this.fpCounts.get(fp) ?? 0;
    this.fpCounts.set(fp, n + 1);
    if (n > 0) fp = hash([fp, String(n)]);
    // A baseline written before a rename or split holds the finding under the former id.
    const former = rule.meta.formerIds?.map((id) => {
      const old = hash([id, file.path, identity, r.messageId, value]);
      return n > 0 ? hash([old, String(n)]) : old;
    });
    const template = rule.meta.messages[r.messageId];
    if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown message id "${r.messageId}"`);
    this.findings.push({
      ruleId: rule.meta.id,
      messageId: r.messageId,
      level: configured,
      // Data from the file is made one safe line (no log command, capped); the report's own secret
      // is masked here, where it is, whatever it looks like; the scan-wide redactor runs at output.
      message: maskValues(formatMessage(template, safeMessageData(r.data, rule.meta.system ? SYSTEM_ECHO : undefined)), [
        r.secret,
        ...(r.secretForms ?? []),
      ]),
      file: file.path,
      range: this.shared(rangeOf(file, r.at)),
      identity,
      fingerprint: fp,
      ...(former?.length ? { formerFingerprints: former } : {}),
      ...(r.properties ? { properties: r.properties } : {}),
    });
  }
}

/**
 * A report about a field that is absent (not about a value that is set). On a partial object
 * (a kustomize patch) the field is written elsewhere, so absence proves nothing. Recognised
 * centrally by the message-id convention of the rules: `missing`, `missing...`, `...Missing`.
 */
export function reportsMissingField(r: Report): boolean {
  return /^missing|Missing$/.test(r.messageId);
}

/** Reads a file after checking its size on the open descriptor (no stat-then-read race). */
function readCandidate(absPath: string, maxBytes: number): { buf?: Uint8Array; error?: string } {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO after collection must not hang the scan on open.
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: 'it is not a regular file' };
    if (st.size > maxBytes) return { error: `it is ${st.size} bytes, over the maxFileBytes limit of ${maxBytes}` };
    return { buf: readFileSync(fd) };
  } catch (err) {
    return { error: `it could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reports an engine finding (file-error, parse-error, internal-error...) unless it is turned off. */
export type SystemReport = (
  out: Collector,
  id: string,
  file: SourceFile,
  at: At,
  messageId: string,
  data: Record<string, string | number>,
  identity?: string,
) => void;

/** Checks files with the active rules; one per thread. */
export class FileChecker {
  constructor(
    private readonly settings: Settings,
    private readonly active: readonly ActiveRule[],
    private readonly system: SystemReport,
  ) {}

  private templates: string[] = [];

  /**
   * The token scan over the text of a candidate that is not checked as a manifest (a chart
   * template, a values file, a broken document): a secret leaks whatever the file's shape.
   */
  private scanText(source: SourceFile, out: Collector): void {
    const unit: YamlFile = { kind: 'kubernetes', source, docs: [], problems: [], objects: [], workloads: [] };
    for (const { rule, level, ctx } of this.active) {
      if (rule.meta.id !== TEXT_SCAN_RULE) continue;
      try {
        ctx.report = (r: Report): void => out.add(rule, level, r.file ?? source, { ...r, identity: r.identity ?? '' });
        rule.check(unit, ctx);
      } catch (err) {
        this.system(out, 'internal-error', source, source.lines.range(0, 0), 'rule', { rule: rule.meta.id, error: safeErrorText(err) });
      }
    }
  }

  /**
   * Checks `files` in order. Cross-file rules start from an empty state, returned in the result,
   * so batches checked on different threads merge into what one thread would have built.
   */
  run(files: readonly Candidate[]): BatchResult {
    const out = new Collector();
    const directives: [string, Directive[]][] = [];
    const filesScanned: Record<FileKind, number> = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
    this.templates = [];
    const crossFile = this.active.filter((a) => a.rule.finish);
    for (const a of crossFile) a.ctx.state = new Map();
    for (const c of files) {
      out.endFile();
      this.checkFile(c, out, directives, filesScanned);
    }
    out.endFile();
    return {
      findings: out.findings,
      secrets: [...out.redactor.secrets],
      directives,
      filesScanned,
      states: crossFile.map((a) => [a.rule.meta.id, a.ctx.state]),
      templates: this.templates,
    };
  }

  private checkFile(c: Candidate, out: Collector, directives: [string, Directive[]][], filesScanned: Record<FileKind, number>): void {
    const system = (id: string, file: SourceFile, at: At, messageId: string, data: Record<string, string | number>): void =>
      this.system(out, id, file, at, messageId, data);
    const { buf, error } = readCandidate(c.absPath, this.settings.maxFileBytes);
    if (!buf) {
      const f = sourceFile(c.absPath, c.relPath, '');
      system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: error ?? 'it could not be read' });
      return;
    }
    const decoded = decode(buf);
    if (!decoded.ok) {
      const f = sourceFile(c.absPath, c.relPath, '');
      system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: decoded.reason });
      return;
    }
    const source = sourceFile(c.absPath, c.relPath, decoded.text);
    let parsed: ParsedFile | undefined;
    try {
      parsed = parseFile(source, c.nameKind, c.rendered ? { rendered: true } : {});
      if (c.partial && parsed && parsed.kind !== 'dockerfile') parsed.partial = true;
    } catch (err) {
      system('internal-error', source, source.lines.range(0, 0), 'parser', { error: safeErrorText(err) });
      return;
    }
    if (!parsed) {
      if (c.nameKind !== 'dockerfile' && hasTemplateMarks(source.text) && isChartTemplate(source.absPath)) this.templates.push(source.path);
      this.scanText(source, out);
      return;
    }
    // Compose reads the project's .env for `${VAR}` substitution; rules see it beside the file.
    if (parsed.kind === 'compose') {
      const dotenv = readDotenv(c.absPath, c.relPath, this.settings.maxFileBytes);
      if (dotenv) parsed.dotenv = dotenv;
    }
    filesScanned[parsed.kind]++;
    try {
      const found = readDirectives(parsed);
      if (found.length) directives.push([source.path, found]);
    } catch (err) {
      // The file is still checked; only its suppressions are lost, so say that rather than "not checked".
      system('internal-error', source, source.lines.range(0, 0), 'rule', { rule: 'suppression reading', error: safeErrorText(err) });
    }
    if (decoded.invalidAt !== undefined) {
      const pos = source.lines.position(decoded.invalidAt);
      system('file-error', source, source.lines.lineRange(pos.line, source.text), 'encoding', { line: pos.line });
    }
    for (const p of parsed.problems) {
      const at = source.lines.range(p.offset, p.endOffset ?? p.offset);
      if (p.kind === 'duplicate-key') system('duplicate-key', source, at, 'duplicate', { message: p.message });
      else if (p.kind === 'dockerfile') system('parse-error', source, at, 'dockerfile', { message: p.message });
      else system('parse-error', source, at, 'syntax', { message: p.message + indentHint(source.text, p.offset) });
    }
    const units: ParsedFile[] = parsed.kind === 'dockerfile' ? [parsed] : documentViews(parsed);
    // A document that did not parse hides nothing: with a syntax error, the token scan reads the
    // whole text once (objects kept, so Secret data stays with its own rule).
    const broken = parsed.kind !== 'dockerfile' && parsed.problems.some((p) => p.kind === 'syntax') && parsed.docs.length > 1;
    for (const { rule, level, ctx } of this.active) {
      if (!rule.meta.kinds.includes(parsed.kind)) continue;
      const ruleUnits = broken && rule.meta.id === TEXT_SCAN_RULE && parsed.kind !== 'dockerfile' ? [{ ...parsed, docs: [] }] : units;
      for (const unit of ruleUnits) {
        const report = (r: Report): void => {
          if (unit.kind !== 'dockerfile' && unit.partial && reportsMissingField(r)) return;
          const own = !r.file || r.file === source;
          const identity = r.identity ?? (own ? identityAt(unit, rangeOf(source, r.at).start) : undefined);
          out.add(rule, level, r.file ?? source, identity === r.identity ? r : { ...r, identity });
        };
        try {
          ctx.report = report;
          rule.check(unit, ctx);
        } catch (err) {
          const doc = unit.kind === 'dockerfile' ? undefined : unit.docs[0];
          const start = doc?.root?.start ?? 0;
          system('internal-error', source, source.lines.range(start, start), 'rule', { rule: rule.meta.id, error: safeErrorText(err) });
        }
      }
    }
  }
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

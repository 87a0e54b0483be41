/**
 * The engine: collect -> parse -> rules -> filter. Platform-free: the CLI, the GitHub Action
 * and the Azure Pipelines task all call `scan` and render its result.
 */
import { createHash, scryptSync } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { readBaseline } from './baseline/baseline.js';
import { collect } from './collect/collect.js';
import { loadSettings, settingsFromObject } from './config/load.js';
import type { Settings } from './config/settings.js';
import { validatePattern } from './config/patterns.js';
import { parseFile } from './parse/index.js';
import { identityAt } from './parse/scope.js';
import type { ParsedFile, YamlFile } from './parse/index.js';
import { decode, rangeOf, sourceFile } from './parse/source.js';

export { rangeOf };
import type { SourceFile } from './parse/source.js';
import { Redactor, safeErrorText } from './report/redact.js';
import { formatMessage } from './rules/api.js';
import type { At, Report, Rule, RuleContext } from './rules/api.js';
import { ALL_RULES } from './rules/index.js';
import { readDirectives } from './suppress/directives.js';
import type { Directive } from './suppress/directives.js';
import { applySuppressions } from './suppress/apply.js';
import { ConfigurationError, LEVEL_RANK } from './types.js';
import type { FileKind, Finding, Level } from './types.js';

/** What to scan and how. */
export interface ScanInput {
  /** Repository root: finding paths are relative to it. */
  root: string;
  /** Files or directories, relative to `root` (default `.`). */
  paths?: readonly string[];
  /** Configuration file; default `.podguard.yml` in the scanned directory or the root. */
  configPath?: string;
  /** Extra allowed-image patterns (CLI `--allow-image`, CI inputs). */
  allowImages?: readonly string[];
  /** When set, only these files (relative to `root`) are scanned. */
  changedFiles?: readonly string[];
  /** An inline configuration object, used instead of any configuration file. */
  config?: unknown;
  /** Adjusts settings after the configuration file is read (CI inputs). */
  adjust?: (settings: Settings) => void;
  /** Rules to run (default: all registered rules). */
  rules?: readonly Rule[];
  /** Baseline file (relative to `root`) overriding the configured one; `false` applies none. */
  baseline?: string | false;
  /** Today (`YYYY-MM-DD` or a Date, read in UTC) for suppression expiry; default: the clock. */
  today?: string | Date;
}

/** The outcome of a scan. */
export interface ScanResult {
  root: string;
  settings: Settings;
  /** Every registered rule (for SARIF `rules[]`), enabled or not. */
  rules: readonly Rule[];
  /** Ids of the rules that ran. */
  enabledRules: string[];
  /** Findings, sorted by file, line, column, rule. */
  findings: Finding[];
  filesScanned: Record<FileKind, number>;
  /** Secret values found: outputs must pass through `redactor`. */
  redactor: Redactor;
  durationMs: number;
  /** The baseline applied, if any: its path (relative to the root) and how many findings it knew. */
  baseline?: { file: string; known: number };
}

const FINGERPRINT_SALT = 'podguard-fp-v1';

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

/** Levels a rule runs at, after the profile and the configuration. */
function ruleLevel(rule: Rule, settings: Settings): Level | 'off' {
  const configured = settings.rules[rule.meta.id]?.level;
  if (configured) return configured;
  if (settings.profile === 'baseline' && rule.meta.profile === 'restricted') return 'off';
  return rule.meta.level;
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(FINGERPRINT_SALT).update('\0').update(parts.join('\0')).digest('hex').slice(0, 32);
}

const SECRET_SALT = 'podguard-secret-fp-v1';

/**
 * A deliberately slow salted digest of a secret for its fingerprint: fingerprints are published
 * (SARIF, baselines), and a fast hash of a short password could be confirmed by guessing.
 * N=1024 costs ~2-5 ms per distinct secret: a guess costs the same, a scan stays fast.
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

class Collector {
  readonly findings: Finding[] = [];
  readonly redactor = new Redactor();
  /**
   * Fingerprints seen in the current file (they include the file's path, so they cannot collide
   * across files); cleared per file so memory does not grow with the repository.
   */
  private fpCounts = new Map<string, number>();
  // Per scan, so no secret outlives the scan in a module-level cache.
  private readonly digests = new Map<string, string>();

  private digest(secret: string): string {
    let d = this.digests.get(secret);
    if (d === undefined) this.digests.set(secret, (d = secretDigest(secret)));
    return d;
  }

  /** Forgets the current file's fingerprints (called after each file, and before finish()). */
  endFile(): void {
    this.fpCounts = new Map();
  }

  add(rule: Rule, level: Level, file: SourceFile, r: Report): void {
    if (r.secret) this.redactor.add(r.secret);
    for (const form of r.secretForms ?? []) this.redactor.add(form);
    const configured = r.level && level === rule.meta.level ? r.level : level;
    const identity = r.identity ?? '';
    const value = r.secret ? `secret:${this.digest(r.secret)}` : (r.value ?? '');
    let fp = hash([rule.meta.id, file.path, identity, r.messageId, value]);
    const n = this.fpCounts.get(fp) ?? 0;
    this.fpCounts.set(fp, n + 1);
    if (n > 0) fp = hash([fp, String(n)]);
    const template = rule.meta.messages[r.messageId];
    if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown message id "${r.messageId}"`);
    this.findings.push({
      ruleId: rule.meta.id,
      messageId: r.messageId,
      level: configured,
      message: this.redactor.redact(formatMessage(template, r.data)),
      file: file.path,
      range: rangeOf(file, r.at),
      identity,
      fingerprint: fp,
      ...(r.properties ? { properties: r.properties } : {}),
    });
  }
}

/** Finds a registered rule by id (system rules included). */
function ruleById(rules: readonly Rule[], id: string): Rule {
  const r = rules.find((x) => x.meta.id === id);
  if (!r) throw new Error(`system rule ${id} is not registered`);
  return r;
}

/** Today as `YYYY-MM-DD` in UTC. */
function isoDay(today: string | Date | undefined): string {
  if (typeof today === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new ConfigurationError(`today must be YYYY-MM-DD (got "${today}")`);
    return today;
  }
  return (today ?? new Date()).toISOString().slice(0, 10);
}

/** Runs a scan. Throws ConfigurationError for user mistakes; never throws for file content. */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const started = Date.now();
  const root = resolve(input.root);
  const rules = input.rules ?? ALL_RULES;
  const paths = input.paths && input.paths.length > 0 ? input.paths : ['.'];
  const singleDir = paths.length === 1 ? resolve(root, paths[0]!) : root;
  let settings: Settings;
  if (input.config !== undefined) settings = settingsFromObject(input.config, rules, '(inline configuration)');
  else if (input.configPath) settings = loadSettings(root, input.configPath, rules);
  else {
    settings = loadSettings(singleDir, undefined, rules);
    if (!settings.configFile && singleDir !== root) settings = loadSettings(root, undefined, rules);
  }
  for (const p of input.allowImages ?? []) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`--allow-image ${JSON.stringify(p)} ${problem}`);
    settings.allowedImages.push(p);
  }
  input.adjust?.(settings);
  // Read the baseline first: a missing or corrupt one should stop the scan before any work.
  const baselinePath = input.baseline === false ? undefined : (input.baseline ?? settings.baseline);
  let knownBaseline: { label: string; fingerprints: Set<string> } | undefined;
  if (baselinePath) {
    const abs = resolve(root, baselinePath);
    const label = relative(root, abs).split('\\').join('/') || baselinePath;
    knownBaseline = { label, fingerprints: readBaseline(abs, label) };
  }
  const today = isoDay(input.today);

  const active = rules
    .filter((r) => !r.meta.system)
    .map((rule) => ({ rule, level: ruleLevel(rule, settings) }))
    .filter((x): x is { rule: Rule; level: Level } => x.level !== 'off')
    .map(({ rule, level }) => {
      const configured = settings.rules[rule.meta.id]?.options ?? {};
      // One context per rule for the whole scan; `report` is pointed at each unit before its
      // check (spreading a fresh context per rule and document cost ~7% of a large scan).
      const ctx: RuleContext = {
        options: { ...(rule.meta.defaultOptions ?? {}), ...configured },
        settings,
        state: new Map(),
        partial: input.changedFiles !== undefined,
        report: () => undefined,
      };
      return { rule, level, ctx };
    });
  const systemLevel = (id: string): Level | 'off' => ruleLevel(ruleById(rules, id), settings);

  const out = new Collector();
  const directives = new Map<string, Directive[]>();
  const system = (id: string, file: SourceFile, at: At, messageId: string, data: Record<string, string | number>): void => {
    const rule = ruleById(rules, id);
    const level = systemLevel(id);
    if (level !== 'off') out.add(rule, level, file, { messageId, data, at });
  };

  const { candidates, issues } = await collect({ root, paths, exclude: settings.exclude, only: input.changedFiles });
  for (const issue of issues) {
    const f = sourceFile(resolve(root, issue.relPath), issue.relPath, '');
    system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: issue.reason });
  }

  const filesScanned: Record<FileKind, number> = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };

  // Files are read one at a time, synchronously, in sorted order (deterministic cross-file rules):
  // profiled on 10,000 manifests, five thread-pool round trips per file (stat, open, fstat,
  // read, close) cost more main-thread time than parsing. Only one file's text is held at once.
  for (const c of candidates) {
    out.endFile();
    const { buf, error } = readCandidate(c.absPath, settings.maxFileBytes);
    if (!buf) {
      const f = sourceFile(c.absPath, c.relPath, '');
      system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: error ?? 'it could not be read' });
      continue;
    }
    const decoded = decode(buf);
    if (!decoded.ok) {
      const f = sourceFile(c.absPath, c.relPath, '');
      system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: decoded.reason });
      continue;
    }
    const source = sourceFile(c.absPath, c.relPath, decoded.text);
    let parsed: ParsedFile | undefined;
    try {
      parsed = parseFile(source, c.nameKind);
    } catch (err) {
      system('internal-error', source, source.lines.range(0, 0), 'parser', { error: errorText(err) });
      continue;
    }
    if (!parsed) continue;
    filesScanned[parsed.kind]++;
    try {
      const found = readDirectives(parsed);
      if (found.length) directives.set(source.path, found);
    } catch (err) {
      // The file is still checked; only its suppressions are lost, so say that rather than "not checked".
      system('internal-error', source, source.lines.range(0, 0), 'rule', { rule: 'suppression reading', error: errorText(err) });
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
    for (const { rule, level, ctx } of active) {
      if (!rule.meta.kinds.includes(parsed.kind)) continue;
      for (const unit of units) {
        const report = (r: Report): void => {
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
          system('internal-error', source, source.lines.range(start, start), 'rule', { rule: rule.meta.id, error: errorText(err) });
        }
      }
    }
  }

  out.endFile();
  for (const { rule, level, ctx } of active) {
    if (!rule.finish) continue;
    try {
      rule.finish({
        ...ctx,
        report: (r: Report) => {
          if (!r.file) throw new Error(`rule ${rule.meta.id} reported from finish() without a file`);
          out.add(rule, level, r.file, r);
        },
      });
    } catch (err) {
      const f = sourceFile(root, '.', '');
      system('internal-error', f, f.lines.range(0, 0), 'rule', { rule: rule.meta.id, error: errorText(err) });
    }
  }

  const known = new Set(rules.map((r) => r.meta.id));
  const enabled = new Set([
    ...active.map((a) => a.rule.meta.id),
    ...rules.filter((r) => r.meta.system && systemLevel(r.meta.id) !== 'off').map((r) => r.meta.id),
  ]);
  const reports = applySuppressions(out.findings, directives, {
    today,
    knownRules: known,
    enabledRules: enabled,
    reasonRequired: known.has('suppression-without-reason') && systemLevel('suppression-without-reason') !== 'off',
  });
  for (const r of reports) {
    if (!known.has(r.ruleId)) continue;
    const f = sourceFile(resolve(root, r.file), r.file, '');
    const rule = ruleById(rules, r.ruleId);
    const level = systemLevel(r.ruleId);
    if (level !== 'off') out.add(rule, level, f, { messageId: r.messageId, data: r.data, at: r.range, identity: r.identity });
  }

  let baseline: ScanResult['baseline'];
  if (knownBaseline) {
    const { label, fingerprints } = knownBaseline;
    let n = 0;
    for (const f of out.findings) {
      if (f.suppression || !fingerprints.has(f.fingerprint)) continue;
      f.baselined = true;
      n++;
    }
    baseline = { file: label, known: n };
  }

  const findings = out.findings.sort(compareFindings);
  return {
    root,
    settings,
    rules,
    enabledRules: active.map((a) => a.rule.meta.id),
    findings,
    filesScanned,
    redactor: out.redactor,
    durationMs: Date.now() - started,
    ...(baseline ? { baseline } : {}),
  };
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

function errorText(err: unknown): string {
  return safeErrorText(err);
}

/** Deterministic order: file, line, column, severity, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Counts findings per level (suppressed findings excluded; baselined ones count as notes). */
export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (!f.suppression) counts[f.baselined ? 'note' : f.level]++;
  return counts;
}

/** True when a finding gates the build at `failOn`. */
export function gates(f: Finding, failOn: Level | 'never'): boolean {
  if (failOn === 'never' || f.suppression || f.baselined) return false;
  return LEVEL_RANK[f.level] >= LEVEL_RANK[failOn];
}

/**
 * SARIF 2.1.0 for GitHub code scanning and the Azure DevOps SARIF tab, kept inside what GitHub
 * accepts by design: at most 25,000 results per run (chosen by level, then security-severity),
 * one location per result, at most 20 tags per rule, under 10 MB gzipped, compact JSON.
 */
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { climbsOut } from '../config/safe-read.js';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ScanReport as ScanResult } from '../engine.js';
import { displayLevel, someFinding } from '../findings.js';
import type { Rule } from '../rule.js';
import { fixText } from '../rule.js';
import { ConfigurationError, LEVEL_RANK } from '../types.js';
import type { Finding, Level, Range } from '../types.js';
import { HOMEPAGE, VERSION, ruleDocUrl } from '../version.js';
import type { Provenance } from './provenance.js';
import { severityAt } from './severity.js';
import { PLACEHOLDER, compactJsonChunks } from './stream.js';
import { writeOutputFile } from './safe-write.js';

/** The schema URI GitHub and Azure DevOps recognise. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What GitHub code scanning accepts in one upload (larger runs are rejected or cut). */
export interface SarifLimits {
  /** Results per run (GitHub rejects more than 25,000). */
  results: number;
  /** Tags per rule (GitHub keeps the first 20). */
  tags: number;
  /** Bytes of the gzipped file (GitHub rejects 10 MB and more). */
  gzipBytes: number;
  /** Tool execution notifications listed one by one (the rest are counted in one). */
  notifications: number;
}

/** GitHub's limits, with a margin under the 10 MB gzip limit. */
export const GITHUB_LIMITS: SarifLimits = { results: 25_000, tags: 20, gzipBytes: 9_500_000, notifications: 1_000 };

/** How a SARIF log is written. */
export interface SarifOptions {
  /** The repository root (git top level): artifact URIs are relative to it. Default: the scan root. */
  repositoryRoot?: string;
  /** The repository, commit and branch (`versionControlProvenance`). */
  provenance?: Provenance;
  /** The analysis category (`automationDetails.id` is `<category>/`); default `podguard`. */
  category?: string;
  /** Start and end of the run (`invocations`); omitted keeps the log byte-identical across runs. */
  times?: { start: Date; end: Date };
  limits?: Partial<SarifLimits>;
  /** Which findings become results (default: `selectResults` under the limits). */
  selection?: Selection;
}

/** The findings a SARIF log holds, and what was left out. */
export interface Selection {
  /** 1 at the index of each finding written as a result. */
  keep: Uint8Array;
  kept: number;
  /** Findings left out, per rule id. */
  omitted: Map<string, number>;
}

/** What writing a SARIF file did. */
export interface SarifWritten {
  results: number;
  /** Findings left out, per rule id (empty when every finding fitted). */
  omitted: Map<string, number>;
  /** An upper bound of the file's gzipped size. */
  gzipBytes: number;
}

function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Percent-encodes a relative path for a SARIF URI, segment by segment. */
export function toUri(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** The Markdown help of a rule (what, why, fix). */
export function ruleHelpMarkdown(rule: Rule): string {
  const m = rule.meta;
  const silent = m.silentUnless ? `\n\n_${m.silentUnless}_` : '';
  return `**${m.title}** (\`${m.id}\`)\n\n${m.description}${silent}\n\n**Why it matters.** ${m.why}\n\n**How to fix.** ${fixText(m)}\n\nSuppress one finding (with a reason): \`# podguard-ignore ${m.id} -- <reason>\` on the line above it.`;
}

/**
 * Markdown as plain text: emphasis markers, code fences and backticks go, link targets follow
 * their text in parentheses; identifiers keep their underscores (`NET_RAW` stays NET_RAW).
 */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(line);
      continue;
    }
    // Code spans are set aside first: emphasis may enclose them, and their text stays as is.
    const code: string[] = [];
    const text = line
      .replace(/^#{1,6}\s+/, '')
      .replace(/`([^`]*)`/g, (_, c: string) => `\uE000${code.push(c) - 1}\uE000`)
      .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/__([^_]+)__/g, '$1')
      // Emphasis only where `_` stands at a word edge: DB_PASSWORD is no emphasis.
      .replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, '$1$2')
      .replace(/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1$2');
    out.push(text.replace(/\uE000(\d+)\uE000/g, (_, i: string) => code[Number(i)] ?? ''));
  }
  return out.join('\n');
}

/** The plain-text help of a rule. */
export function ruleHelpText(rule: Rule): string {
  return markdownToText(ruleHelpMarkdown(rule));
}

/** The level a rule runs at in this scan (configured, else its default). */
function runLevel(rule: Rule, result: ScanResult): Level {
  const configured = result.settings.rules[rule.meta.id]?.level;
  return configured && configured !== 'off' ? configured : rule.meta.level;
}

function sarifRule(rule: Rule, result: ScanResult, limits: SarifLimits): Record<string, unknown> {
  const m = rule.meta;
  const level = runLevel(rule, result);
  const severity = severityAt(m, level);
  // Engine and hygiene rules (no security-severity) are no security alerts: no `security` tag.
  const tags = [...new Set([...(severity === undefined ? [] : ['security']), ...m.tags])].slice(0, limits.tags);
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    helpUri: ruleDocUrl(m.id),
    help: { text: ruleHelpText(rule), markdown: ruleHelpMarkdown(rule) },
    defaultConfiguration: { level },
    properties: {
      tags,
      precision: m.precision,
      ...(severity === undefined ? {} : { 'security-severity': severity.toFixed(1) }),
      'problem.severity': level === 'note' ? 'recommendation' : level,
    },
  };
}

type Json = Record<string, unknown>;

/** Maps scan-root-relative paths to repository-root-relative ones. */
function repoPaths(result: ScanResult, repositoryRoot: string | undefined): (file: string) => string {
  if (!repositoryRoot) return (file) => file;
  const prefix = relative(repositoryRoot, result.root).split(sep).join('/');
  if (prefix === '') return (file) => file;
  if (!climbsOut(prefix)) return (file) => (file === '.' ? prefix : `${prefix}/${file}`);
  // The scan root lies outside the repository: keep its own paths rather than write `../`.
  return (file) => {
    const p = posix.normalize(`${prefix}/${file}`);
    return climbsOut(p) ? file : p;
  };
}

/** A SARIF region; an empty range on one line still covers one column (GitHub needs endColumn > startColumn). */
function region(r: Range): Json {
  return {
    startLine: r.start.line,
    startColumn: r.start.column,
    endLine: r.end.line,
    endColumn: Math.max(r.end.column, r.end.line === r.start.line ? r.start.column + 1 : 1),
  };
}

function location(uri: string): Json {
  return { uri: toUri(uri), uriBaseId: '%SRCROOT%' };
}

/** A finding's rank for the results limit: unsuppressed before suppressed, then level, then severity. */
function priority(f: Finding, severities: Map<string, Rule>): number {
  if (f.suppression) return 0;
  const level = displayLevel(f);
  const rule = severities.get(f.ruleId);
  const sev = rule ? (severityAt(rule.meta, level) ?? 0) : 0;
  return LEVEL_RANK[level] * 1000 + Math.round(sev * 10);
}

/**
 * Chooses at most `max` findings to write: the highest-priority ones (level, then
 * security-severity), ties in file order. Counts per priority instead of sorting the findings.
 */
export function selectResults(result: ScanResult, max: number = GITHUB_LIMITS.results): Selection {
  const findings = result.findings;
  const keep = new Uint8Array(findings.length);
  const omitted = new Map<string, number>();
  if (findings.length <= max) {
    keep.fill(1);
    return { keep, kept: findings.length, omitted };
  }
  const rules = new Map(result.rules.map((r) => [r.meta.id, r]));
  const ranks = new Uint16Array(findings.length);
  const counts = new Map<number, number>();
  let i = 0;
  for (const f of findings) {
    const p = priority(f, rules);
    ranks[i++] = p;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  // The priority at which the quota runs out, and how many of that priority still fit.
  let quota = Math.max(0, max);
  let threshold = Infinity;
  for (const p of [...counts.keys()].sort((a, b) => b - a)) {
    threshold = p;
    const n = counts.get(p)!;
    if (n >= quota) break;
    quota -= n;
  }
  let kept = 0;
  i = 0;
  for (const f of findings) {
    const p = ranks[i]!;
    const take = p > threshold || (p === threshold && quota > 0);
    if (p === threshold && take) quota--;
    if (take) {
      keep[i] = 1;
      kept++;
    } else omitted.set(f.ruleId, (omitted.get(f.ruleId) ?? 0) + 1);
    i++;
  }
  return { keep, kept, omitted };
}

/** One line naming what was left out, e.g. `120 (host-port 100, image-tag 20)`. */
export function omittedText(omitted: ReadonlyMap<string, number>): string {
  const total = [...omitted.values()].reduce((a, b) => a + b, 0);
  const parts = [...omitted.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id, n]) => `${id} ${n}`);
  return `${total} (${parts.join(', ')})`;
}

const NOT_CHECKED = new Set(['file-error', 'parse-error', 'internal-error']);

/** What the parts of a SARIF log share: its rules in order, their indexes and levels, paths, redaction. */
interface SarifContext {
  result: ScanResult;
  limits: SarifLimits;
  rules: Rule[];
  index: Map<string, number>;
  levels: Map<string, Level>;
  byId: Map<string, Rule>;
  path: (file: string) => string;
  red: (text: string) => string;
}

/** Files that could not be checked, and results left out, as tool execution notifications. */
function sarifNotifications(x: SarifContext, selection: Selection): Json[] {
  const { result, limits, index, path, red } = x;
  const notifications: Json[] = [];
  let unlisted = 0;
  for (const f of result.findings) {
    if (!NOT_CHECKED.has(f.ruleId)) continue;
    if (notifications.length >= limits.notifications) {
      unlisted++;
      continue;
    }
    const file = f.file === '.' || f.file === '' ? undefined : path(f.file);
    notifications.push({
      level: f.ruleId === 'internal-error' ? 'error' : 'warning',
      message: { text: red(file ? `${file} could not be checked: ${f.message}` : f.message) },
      ...(file ? { locations: [{ physicalLocation: { artifactLocation: location(file) } }] } : {}),
      associatedRule: { id: f.ruleId, index: index.get(f.ruleId) ?? -1 },
    });
  }
  if (unlisted > 0)
    notifications.push({ level: 'warning', message: { text: `${unlisted} more files could not be checked (see the results).` } });
  if (selection.omitted.size > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `podguard left ${omittedText(selection.omitted)} lower-priority results out of this SARIF file to stay within GitHub's upload limits; the JSON output has every finding.`,
      },
    });
  }
  return notifications;
}

/** The SARIF log with `PLACEHOLDER` where the results go. */
function sarifLog(x: SarifContext, opts: SarifOptions, notifications: Json[]): Json {
  const { result } = x;
  const root = opts.repositoryRoot ?? result.root;
  const rootUri = pathToFileURL(root).href.replace(/\/?$/, '/');
  const category = (opts.category ?? 'podguard').replace(/\/+$/, '');
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'podguard',
            fullName: `podguard ${VERSION}`,
            semanticVersion: VERSION,
            version: VERSION,
            informationUri: HOMEPAGE,
            rules: x.rules.map((r) => sarifRule(r, result, x.limits)),
          },
        },
        invocations: [
          {
            executionSuccessful: !someFinding(result.findings, (f) => f.ruleId === 'internal-error'),
            ...(opts.times ? { startTimeUtc: opts.times.start.toISOString(), endTimeUtc: opts.times.end.toISOString() } : {}),
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        automationDetails: { id: `${category}/` },
        ...(opts.provenance ? { versionControlProvenance: [{ ...opts.provenance, mappedTo: { uriBaseId: '%SRCROOT%' } }] } : {}),
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results: PLACEHOLDER,
      },
    ],
  };
}

/** One finding as a SARIF result. */
function sarifResult(x: SarifContext, f: Finding): Json {
  const { result, index, path, red } = x;
  const level = displayLevel(f);
  const res: Json = {
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? -1,
    level,
    message: { text: red(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location(path(f.file)),
          region: region(f.range),
        },
      },
    ],
    partialFingerprints: { 'podguard/v1': f.fingerprint },
  };
  if (f.suppression) res.suppressions = [{ kind: f.suppression.kind, justification: red(f.suppression.justification) }];
  if (f.baselined) res.baselineState = 'unchanged';
  else if (result.baseline && !f.suppression) res.baselineState = 'new';
  // A finding at another level than its rule's (a per-report level, a baselined finding)
  // carries its own security-severity, inside the band of its level.
  const rule = x.byId.get(f.ruleId);
  const own = rule && level !== x.levels.get(f.ruleId) ? severityAt(rule.meta, level) : undefined;
  if (f.properties || own !== undefined) {
    res.properties = { ...(f.properties ?? {}), ...(own !== undefined ? { 'security-severity': own.toFixed(1) } : {}) };
  }
  // Rendered findings also name the values line that supplied the value (at most GitHub's limit).
  if (f.related?.length) {
    res.relatedLocations = f.related.slice(0, 1000).map((r, id) => ({
      id,
      physicalLocation: {
        artifactLocation: location(path(r.file)),
        region: region(r.range),
      },
      message: { text: red(r.message) },
    }));
  }
  return res;
}

/** The log around the results, and the results one at a time. */
function sarifParts(result: ScanResult, opts: SarifOptions): { log: Json; results: () => Generator<Json>; selection: Selection } {
  const limits: SarifLimits = { ...GITHUB_LIMITS, ...opts.limits };
  const rules = [...result.rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const x: SarifContext = {
    result,
    limits,
    rules,
    index: new Map(rules.map((r, i) => [r.meta.id, i])),
    levels: new Map(rules.map((r) => [r.meta.id, runLevel(r, result)])),
    byId: new Map(rules.map((r) => [r.meta.id, r])),
    path: repoPaths(result, opts.repositoryRoot),
    red: (text: string): string => result.redactor.redact(text),
  };
  const selection = opts.selection ?? selectResults(result, limits.results);
  const log = sarifLog(x, opts, sarifNotifications(x, selection));
  function* results(): Generator<Json> {
    let i = 0;
    for (const f of result.findings) if (selection.keep[i++]) yield sarifResult(x, f);
  }
  return { log, results, selection };
}

/** Builds the SARIF log of a scan (deterministic: same input and options, same bytes). */
export function toSarif(result: ScanResult, opts: SarifOptions = {}): Json {
  const parts = sarifParts(result, opts);
  const log = parts.log as { runs: Json[] };
  log.runs[0]!.results = [...parts.results()];
  return log;
}

/** SARIF text in pieces (compact JSON, trailing newline): one result at a time, for large scans. */
export function* sarifChunks(result: ScanResult, opts: SarifOptions = {}): Generator<string> {
  const parts = sarifParts(result, opts);
  yield* compactJsonChunks(parts.log, parts.results());
  yield '\n';
}

/** SARIF as text (compact JSON, trailing newline). */
export function sarifText(result: ScanResult, opts: SarifOptions = {}): string {
  return [...sarifChunks(result, opts)].join('');
}

/**
 * Measures an upper bound of the chunks' gzipped size: each megabyte (a million characters,
 * cut at a chunk's end) is compressed on its own, which never compresses better than the whole
 * file. The megabyte is gathered as bytes outside the JavaScript heap, not as one string.
 */
function measure(chunks: Iterable<string>): number {
  let bytes = 0;
  let block: Buffer[] = [];
  let chars = 0;
  const compress = (): void => {
    bytes += gzipSync(Buffer.concat(block)).length;
    block = [];
    chars = 0;
  };
  for (const c of chunks) {
    block.push(Buffer.from(c, 'utf8'));
    chars += c.length;
    if (chars >= 1 << 20) compress();
  }
  if (chars > 0) compress();
  return bytes;
}

/** Fewer results for the next try when a log came out `bytes` gzipped over the `limit`. */
function shrink(kept: number, bytes: number, limit: number): number {
  return Math.max(0, Math.min(kept - 1, Math.floor((kept * limit * 0.9) / bytes)));
}

/**
 * Chooses the results of a SARIF log that fits the limits, by writing it to a sink (`write`
 * null: measured only). Returns the selection used and what it left out.
 */
function fit(result: ScanResult, opts: SarifOptions): SarifWritten & { selection: Selection } {
  const limits: SarifLimits = { ...GITHUB_LIMITS, ...opts.limits };
  let selection = opts.selection ?? selectResults(result, limits.results);
  for (;;) {
    const bytes = measure(sarifChunks(result, { ...opts, selection }));
    if (bytes <= limits.gzipBytes || selection.kept === 0) {
      return { results: selection.kept, omitted: selection.omitted, gzipBytes: bytes, selection };
    }
    selection = selectResults(result, shrink(selection.kept, bytes, limits.gzipBytes));
  }
}

/** Writes the SARIF file of a scan within the limits (rewritten with fewer results when too large). */
export function writeSarif(
  path: string,
  result: ScanResult,
  opts: SarifOptions = {},
  write: (path: string, chunks: Iterable<string>) => void = (p, chunks) => writeOutputFile(p, chunks, [dirname(resolve(p))]),
): SarifWritten {
  // Measured first, then written once through `write` (temporary file and rename: a link the
  // pull request planted at `path` is replaced, never followed).
  const fitted = fitSarif(result, opts);
  write(path, sarifChunks(result, fitted));
  return fitted.written;
}

/** The options of a log that fits the limits (measured without writing), for a stream such as stdout. */
export function fitSarif(result: ScanResult, opts: SarifOptions = {}): SarifOptions & { written: SarifWritten } {
  const { selection, ...written } = fit(result, opts);
  return { ...opts, selection, written };
}

/** The run's start and end for `invocations`: it ended now and took the scan's duration. */
export function runTimes(result: ScanResult, end: Date = new Date()): { start: Date; end: Date } {
  return { start: new Date(end.getTime() - result.durationMs), end };
}

/**
 * The `automationDetails.id` category of a user's `category` input (`frontend` gives
 * `podguard/frontend`): one per podguard run in a repository, so uploads do not replace each other.
 */
export function sarifCategory(input: string, name: string): string {
  const v = input.trim().replace(/^\/+|\/+$/g, '');
  if (v === '') return 'podguard';
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(v) || v.length > 100) {
    throw new ConfigurationError(`${name} may hold letters, digits, ".", "-", "_" and "/" (at most 100 characters)`);
  }
  return v === 'podguard' || v.startsWith('podguard/') ? v : `podguard/${v}`;
}

/** The job summary's line about results left out of the SARIF file. */
export function sarifOmittedLine(written: SarifWritten): string {
  return `**SARIF:** ${written.results} results were uploaded; ${omittedText(written.omitted)} lower-priority results were left out to stay within GitHub's limits (25,000 results, 10 MB gzipped). The JSON output has every finding.`;
}

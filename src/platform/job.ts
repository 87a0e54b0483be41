/**
 * One CI job, whatever the platform: validated inputs in; the change source (git against the
 * base, then the platform's REST API, then everything), the pinned configuration of a pull
 * request, the scan, the sinks and the verdict out. The job tells the platform what happens
 * through `JobPlatform` events; each adapter (`github.ts`, `azure.ts`) maps them to its own
 * logging, annotation, summary and output-variable APIs and maps the verdict.
 */
import { relative, resolve, sep } from 'node:path';
import { climbsOut } from '../config/safe-read.js';
import { pinToBase } from '../collect/base-config.js';
import type { PinnedConfig, PrConfigMode } from '../collect/base-config.js';
import { gitChanges, inSpans } from '../collect/changed.js';
import type { ChangeRequest, ChangeSet, LineSpan } from '../collect/changed.js';
import { collect } from '../collect/collect.js';
import type { Settings } from '../config/settings.js';
import { scanStreamed } from '../engine.js';
import type { ScanInput, ScanReport, StreamedScan } from '../engine.js';
import { countByLevel } from '../findings.js';
import { writeOutputFile } from '../report/safe-write.js';
import { verdict } from '../report/summary.js';
import type { Rule } from '../rule.js';
import { safeData, safeLines } from '../safe-text.js';
import { ConfigurationError } from '../types.js';
import type { FailOn, Finding, Level } from '../types.js';
import { forInput, inPaths, isGlob } from './inputs.js';
import { sarifFile, sarifOmittedLine, scanStats, summaryMarkdown, textInBlocks } from './sinks.js';
import type { SarifOptions, SarifWritten, TextBlocks } from './sinks.js';

export type { ScanInput, ScanReport };

/** How the platform spells the inputs the job's errors and messages name. */
export interface InputNames {
  paths: string;
  allowImages: string;
  allowEmpty: string;
  failOn: string;
  prConfig: string;
  sarifFile: string;
  /** The input any other configuration error is about (the Action's `config`), if one. */
  config?: string;
}

/** The job's inputs, validated by the adapter. */
export interface JobInputs {
  /** The scan root (workspace, sources directory): finding paths are relative to it. */
  root: string;
  /** The git top level (the root, or a checkout below it). */
  repoTop: string;
  /** Files, directories or globs under the root (never empty). */
  paths: readonly string[];
  /** The configuration file as the scan reads it (absolute or root-relative), or the default. */
  configPath: string | undefined;
  allowedImages: readonly string[];
  /** Target Kubernetes minor version (`1.34`), overriding the configuration's. */
  kubernetesVersion: string | undefined;
  threads: number | undefined;
  failOn: FailOn;
  allowEmpty: boolean;
  prConfig: PrConfigMode;
  /** Where pinned base files are written (runner or agent temp). */
  tempDir: string;
  /** The SARIF file (absolute), how errors name it, where it may be written and its options. */
  sarif: { file: string; shown: string; roots: readonly string[]; options: SarifOptions };
  names: InputNames;
  /** Rules to run (default: every registered rule). */
  rules?: readonly Rule[];
}

/** What a scan covers: the change, or everything under the paths. */
export interface Scope {
  /** Files to scan (root-relative), or undefined for everything under the paths. */
  files?: string[];
  /** Touched lines per root-relative path. */
  touched: Map<string, LineSpan[]>;
  /** One line for the log and the summary. */
  description: string;
  /** The commit the change is compared against. */
  base?: string;
}

/** The full-scan scope. */
export const everything = (description: string): Scope => ({ touched: new Map(), description });

/** One way of listing the change: its scope, undefined when it does not apply here, or why it could not. */
export type ChangeStep = (reasons: readonly string[]) => Promise<Scope | { reason: string } | undefined>;

/** The change source: steps tried in order (git, then the REST API), then a full scan saying why. */
export interface ChangeSource {
  steps: readonly ChangeStep[];
  /** The full-scan scope once no step listed the change; `reasons` holds each step's why, in order. */
  fallback(reasons: readonly string[]): Scope;
}

/** Runs the change source: the first step that lists the change wins; each one that cannot says why. */
export async function changeScope(source: ChangeSource): Promise<Scope> {
  const reasons: string[] = [];
  for (const step of source.steps) {
    const got = await step(reasons);
    if (got === undefined) continue;
    if ('reason' in got) reasons.push(got.reason);
    else return got;
  }
  return source.fallback(reasons);
}

/** The files git lists as changed against the base, relative to `root` (none outside it). */
export interface GitChangeList {
  files: string[];
  touched: Map<string, LineSpan[]>;
  base: string;
  head: string;
  via: ChangeSet['via'];
}

/** Lists the change with git (argument arrays only); throws ChangeError when git cannot. */
export async function gitChangeList(root: string, opts: ChangeRequest): Promise<GitChangeList> {
  const cs = await gitChanges(opts);
  const touched = new Map<string, LineSpan[]>();
  const files: string[] = [];
  for (const f of cs.files) {
    const rel = relative(root, f.absPath).split(sep).join('/');
    if (climbsOut(rel)) continue;
    files.push(rel);
    touched.set(rel, f.lines);
  }
  return { files, touched, base: cs.base, head: cs.head, via: cs.via };
}

/** What the job tells the platform; the adapter makes every line safe for its log. */
export interface JobPlatform {
  info(text: string): void;
  notice(text: string): void;
  debug(text: string): void;
  /** Registers the scan's secrets with the runner, before anything prints them. */
  secrets(result: ScanReport): void;
  /** What was scanned (once, after the scan's secrets are registered). */
  scope(description: string): void;
  /** The text report. */
  text: TextBlocks;
  /** Annotations or log issues for the findings. */
  annotate?(result: ScanReport, touched: (f: Finding) => boolean): void;
  /** Links for the summary. */
  link?: (file: string, line: number) => string | undefined;
  /** The summary Markdown (redacted), and the SARIF file once written. */
  summary?(markdown: string): Promise<void> | void;
  sarifWritten?(path: string): void;
  outputs(values: JobOutputs): void;
}

/** The numbers later steps read: unsuppressed findings per level (baselined count as notes). */
export interface JobOutputs {
  counts: Record<Level, number>;
  findings: number;
  filesScanned: number;
  sarifFile: string;
}

/** How the job ended: the gate's verdict (redacted) and the scan it judged. */
export interface JobVerdict {
  failed: boolean;
  text: string;
  /** The scan: its findings are a spool, `result.findings.dispose()` frees it (else the process's end does). */
  result: StreamedScan;
}

/** The paths and changed files of a scan: globs and the change both become a file list under `.`. */
export async function selectFiles(
  job: Pick<JobInputs, 'root' | 'paths' | 'allowEmpty' | 'names'>,
  scope: Scope,
  requireMatch: boolean,
): Promise<{ paths: string[]; changedFiles?: string[] }> {
  if (scope.files) return { paths: ['.'], changedFiles: inPaths(job.paths, scope.files) };
  if (!job.paths.some(isGlob)) return { paths: [...job.paths] };
  // Globs select among every file the engine would collect from the root.
  const all = await collect({ root: job.root, paths: ['.'], exclude: [] });
  const rels = all.candidates.map((c) => c.relPath);
  for (const p of requireMatch && !job.allowEmpty ? job.paths : []) {
    if (inPaths([p], rels).length === 0) {
      throw new ConfigurationError(
        `input ${job.names.paths}: ${safeData(p)} matches no Kubernetes, Dockerfile, compose or ACI file (set ${job.names.allowEmpty}: true if that is expected)`,
        { input: job.names.paths },
      );
    }
  }
  return { paths: ['.'], changedFiles: inPaths(job.paths, rels) };
}

/** The scan inputs of a job, without the files: configuration, images, threads, the target version. */
export function scanSettings(job: JobInputs, pinned: PinnedConfig | undefined): ScanInput {
  const version = job.kubernetesVersion;
  return {
    root: job.root,
    configPath: pinned?.config !== undefined ? undefined : job.configPath,
    ...(pinned?.config !== undefined ? { config: pinned.config } : {}),
    ...(pinned?.baseline !== undefined ? { baseline: pinned.baseline } : {}),
    ...(pinned?.policyRoot !== undefined ? { policyRoot: pinned.policyRoot } : {}),
    allowImages: job.allowedImages,
    ...(job.rules ? { rules: job.rules } : {}),
    ...(job.threads ? { threads: job.threads } : {}),
    ...(version ? { adjust: (s: Settings) => void (s.kubernetesVersion = version) } : {}),
  };
}

/** The one call of the engine: every face scans through here. */
export function runScan(input: ScanInput): Promise<StreamedScan> {
  return scanStreamed(input);
}

/** A job's scan; engine errors renamed for the platform's inputs. */
async function scanJob(
  job: JobInputs,
  pinned: PinnedConfig | undefined,
  files: Awaited<ReturnType<typeof selectFiles>>,
  requireChecked: boolean,
): Promise<StreamedScan> {
  try {
    return await runScan({ ...scanSettings(job, pinned), paths: files.paths, changedFiles: files.changedFiles, requireChecked });
  } catch (err) {
    throw forInput(err, { paths: job.names.paths, allowImages: job.names.allowImages }, job.names.config);
  }
}

/** A pull request must not loosen its own gate: its base commit's configuration applies. */
async function pinned(job: JobInputs, scope: Scope, platform: JobPlatform): Promise<{ pinned?: PinnedConfig; scope: Scope }> {
  if (!scope.files || !scope.base) return { scope };
  const pin = await pinToBase({
    root: job.root,
    repoTop: job.repoTop,
    base: scope.base,
    changed: scope.files,
    configFile: resolve(job.root, job.configPath ?? '.podguard.yml'),
    mode: job.prConfig,
    tempDir: job.tempDir,
    input: job.names.prConfig,
  });
  for (const n of pin.notices) platform.notice(`podguard: ${n}`);
  if (pin.notices.length) scope = { ...scope, description: `${scope.description} ${pin.notices.join(' ')}` };
  return { pinned: pin, scope };
}

/**
 * Code scanning and alert tracking take each upload as the full state of the branch (alerts
 * missing from it are closed), so the SARIF file always covers every file under the paths, even
 * when the gate, the annotations and the summary look at the change only.
 */
async function writeFullSarif(
  job: JobInputs,
  platform: JobPlatform,
  pin: PinnedConfig | undefined,
  scope: Scope,
  result: ScanReport,
): Promise<SarifWritten> {
  let source = result;
  if (scope.files) {
    source = await scanJob(job, pin, await selectFiles(job, everything(''), false), false);
    platform.secrets(source);
  }
  const { file, shown, roots, options } = job.sarif;
  return sarifFile(file, source, options, (path, chunks) => {
    try {
      // Never through a link the pull request planted, never outside the workspace or runner temp.
      writeOutputFile(path, chunks, roots, true);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ConfigurationError(`input ${job.names.sarifFile}: cannot write ${shown} (${why})`, { input: job.names.sarifFile });
    }
  });
}

/** A rendered finding is in the change when its template line or the values/patch line it came from is. */
function touchedBy(scope: Scope): ((f: Finding) => boolean) | undefined {
  if (!scope.files) return undefined;
  const at = (file: string, line: number): boolean => inSpans(scope.touched.get(file), line);
  return (f) => at(f.file, f.range.start.line) || (f.related ?? []).some((r) => at(r.file, r.range.start.line));
}

/** The numbers for the platform's outputs. */
function outputsOf(result: ScanReport, sarifPath: string): JobOutputs {
  const counts = countByLevel(result.findings);
  return {
    counts,
    findings: counts.error + counts.warning + counts.note,
    filesScanned: Object.values(result.filesScanned).reduce((a, b) => a + b, 0),
    sarifFile: sarifPath,
  };
}

/** Writes every sink of a CI job: text, SARIF (full repository), annotations, summary, outputs. */
async function writeSinks(
  job: JobInputs,
  platform: JobPlatform,
  pin: PinnedConfig | undefined,
  scope: Scope,
  result: ScanReport,
): Promise<void> {
  const red = (t: string): string => result.redactor.redact(t);
  platform.scope(red(scope.description));
  textInBlocks(result, platform.text);
  const written = await writeFullSarif(job, platform, pin, scope, result);
  if (written.omitted.size > 0) platform.info(`podguard: ${sarifOmittedLine(written).replace(/\*\*/g, '')}`);
  const touched = touchedBy(scope);
  platform.annotate?.(result, touched ?? (() => false));
  if (platform.summary) {
    const opts = { failOn: job.failOn, link: platform.link, touched, scope: red(safeLines(scope.description)), gateName: job.names.failOn };
    await platform.summary(summaryMarkdown(result, opts, written));
  }
  platform.sarifWritten?.(job.sarif.file);
  platform.outputs(outputsOf(result, job.sarif.file));
}

/** Runs the job: change, pinned configuration, scan, sinks; returns the verdict. Errors propagate to the adapter. */
export async function runJob(job: JobInputs, platform: JobPlatform, source: ChangeSource | Scope): Promise<JobVerdict> {
  const listed = 'steps' in source ? await changeScope(source) : source;
  const { pinned: pin, scope } = await pinned(job, listed, platform);
  const result = await scanJob(job, pin, await selectFiles(job, scope, true), !job.allowEmpty);
  try {
    // Mask before anything is printed: the runner then scrubs these values from every log line.
    platform.secrets(result);
    platform.debug(scanStats(result));
    await writeSinks(job, platform, pin, scope, result);
    const v = verdict(result, job.failOn, job.names.failOn);
    return { failed: v.failed, text: result.redactor.redact(v.text), result };
  } catch (err) {
    result.findings.dispose();
    throw err;
  }
}

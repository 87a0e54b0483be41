/**
 * The Azure Pipelines adapter: reads the task inputs through the shared validators, lists a pull
 * request's change with git, and maps the job's events to the task library: log lines, issues,
 * a Markdown summary tab, the SARIF file as a build artifact (the SARIF SAST Scans tab reads
 * `CodeAnalysisLogs`), output variables and the task result. azure-pipelines-task-lib is passed
 * in, so this module never loads it itself.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { climbsOut } from '../config/safe-read.js';
import type * as TaskLib from 'azure-pipelines-task-lib/task.js';
import { PR_CONFIG_MODES } from '../collect/base-config.js';
import type { PrConfigMode } from '../collect/base-config.js';
import { ChangeError } from '../collect/changed.js';
import type { LineSpan } from '../collect/changed.js';
import { countWhere, someFinding, topBySeverity } from '../findings.js';
import type { Rule } from '../rule.js';
import { provenanceFromEnv } from '../report/provenance.js';
import { outputRoots, writeOutputFile } from '../report/safe-write.js';
import { safeLines } from '../safe-text.js';
import { ConfigurationError, LEVEL_RANK } from '../types.js';
import type { Finding, Level } from '../types.js';
import { VERSION } from '../version.js';
import {
  configurationMessage,
  parseBool,
  parseFailOn,
  parseImagePatterns,
  parseKubernetesVersion,
  parseOneOf,
  parsePaths,
  parseThreads,
} from './inputs.js';
import { everything, gitChangeList, runJob } from './job.js';
import type { ChangeSource, InputNames, JobInputs, JobPlatform, ScanReport, Scope } from './job.js';

/** The parts of azure-pipelines-task-lib the task uses. */
export type AzureTaskLib = Pick<
  typeof TaskLib,
  | 'getInput'
  | 'getBoolInput'
  | 'getVariable'
  | 'logIssue'
  | 'uploadSummary'
  | 'uploadArtifact'
  | 'setResult'
  | 'setVariable'
  | 'setSecret'
  | 'debug'
  | 'warning'
  | 'IssueType'
  | 'TaskResult'
>;

/** Where a pull request comes from and goes to (Azure's predefined variables). */
export interface PullRequestRefs {
  /** `System.PullRequest.TargetBranch`: `refs/heads/main` (Azure Repos) or `main` (GitHub). */
  targetBranch: string;
  /** `System.PullRequest.SourceCommitId`. */
  sourceCommit: string;
}

/** A pull request's changed files (root-relative) and touched lines, or why they are unknown. */
export type PullRequestChanges =
  { files: string[]; touched: Map<string, LineSpan[]>; how: string; base?: string } | { files?: undefined; reason: string };

/** What the task talks to besides the task library (injected in tests). */
export interface AzureIO {
  /** Log lines (the task's console). */
  stdout: (text: string) => void;
  /** Working directory used when Build.SourcesDirectory is unset. */
  cwd: string;
  /** Works out a pull request's changed files (default: git with fetch and deepen). */
  changes?: (root: string, refs: PullRequestRefs, log: (line: string) => void) => Promise<PullRequestChanges>;
  /** Rules to run (default: every registered rule). */
  rules?: readonly Rule[];
}

/** The task's inputs, validated. */
export interface AzureInputs {
  paths: string[];
  configPath: string | undefined;
  scanMode: 'changed' | 'all';
  allowedImages: string[];
  failOn: Level | 'never';
  sarifFile: string;
  publishSarif: boolean;
  artifactName: string;
  kubernetesVersion: string | undefined;
  /** Threads that check files (undefined: the engine decides). */
  threads: number | undefined;
  /** Pass when a named path holds no file podguard checks (default: an input error). */
  allowEmpty: boolean;
  /** Where a changed-files scan takes .podguard.yml and the baseline from when the change modifies them. */
  prConfig: PrConfigMode;
}

/** At most this many log issues: the agent keeps every one, and thousands bury the first. */
export const MAX_ISSUES = 500;

/**
 * Breaks agent logging commands in text that came from scanned files: the agent acts on
 * `##vso[` and `##[` anywhere in a line, found with a culture-sensitive search (see safe-text.ts).
 */
export function neutralize(text: string): string {
  return safeLines(text);
}

/** The task's names for the inputs the job speaks of. */
const NAMES: InputNames = {
  paths: 'paths',
  allowImages: 'allowedImages',
  allowEmpty: 'allowEmpty',
  failOn: 'failOn',
  prConfig: 'prConfig',
  sarifFile: 'sarifFile',
};

/** `artifactName`: default `CodeAnalysisLogs`; no character an artifact name may not hold. */
function artifactNameInput(raw: string | undefined): string {
  const name = (raw ?? '').trim() || 'CodeAnalysisLogs';
  if (/[\\/:*?"<>|;\]]/.test(name)) {
    throw new ConfigurationError(`input artifactName must not contain / \\ : * ? " < > | ; ] (got "${name}")`, { input: 'artifactName' });
  }
  return name;
}

/** Reads and validates the task inputs. */
export function readInputs(tl: AzureTaskLib, sourcesDir: string): AzureInputs {
  // A filePath input left empty arrives as the sources directory itself.
  const rawConfig = (tl.getInput('config') ?? '').trim();
  const configPath = rawConfig && resolve(sourcesDir, rawConfig) !== resolve(sourcesDir) ? rawConfig : undefined;
  const target = parseKubernetesVersion(tl.getInput('kubernetesVersion'), 'input kubernetesVersion');
  if (target?.warning) tl.warning(target.warning);
  return {
    paths: parsePaths(tl.getInput('paths'), 'input paths', false),
    configPath,
    scanMode: parseOneOf(tl.getInput('scan'), 'input scan', ['changed', 'all'] as const, 'changed'),
    allowedImages: parseImagePatterns(tl.getInput('allowedImages'), 'input allowedImages'),
    failOn: parseFailOn(tl.getInput('failOn'), 'input failOn'),
    sarifFile: (tl.getInput('sarifFile') ?? '').trim(),
    publishSarif: parseBool(tl.getInput('publishSarif'), 'input publishSarif', true),
    artifactName: artifactNameInput(tl.getInput('artifactName')),
    kubernetesVersion: target?.version,
    threads: parseThreads(tl.getInput('threads'), 'input threads'),
    allowEmpty: parseBool(tl.getInput('allowEmpty'), 'input allowEmpty', false),
    prConfig: parseOneOf(tl.getInput('prConfig'), 'input prConfig', PR_CONFIG_MODES, 'base'),
  };
}

/** A link to a file and line in the repository the build checked out, when the provider is known. */
export function fileLink(tl: AzureTaskLib, commit: string | undefined): ((file: string, line: number) => string | undefined) | undefined {
  const provider = (tl.getVariable('Build.Repository.Provider') ?? '').toLowerCase();
  const uri = (tl.getVariable('Build.Repository.Uri') ?? '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (!commit || !/^https:\/\//.test(uri)) return undefined;
  const path = (file: string): string => file.split('/').map(encodeURIComponent).join('/');
  if (provider === 'tfsgit') {
    return (file, line) =>
      `${uri}?path=/${path(file)}&version=GC${commit}&line=${line}&lineEnd=${line}&lineStartColumn=1&lineEndColumn=1&_a=contents`;
  }
  if (provider === 'github' || provider === 'githubenterprise') return (file, line) => `${uri}/blob/${commit}/${path(file)}#L${line}`;
  return undefined;
}

/**
 * The files a pull-request build changes, with git (argument arrays only): the checked-out merge
 * commit against its first parent, fetching one more level of history when the checkout has depth
 * 1; else the target branch is fetched and deepened until a merge base with the head exists.
 */
export async function pullRequestChanges(root: string, refs: PullRequestRefs, log: (line: string) => void): Promise<PullRequestChanges> {
  if (!refs.targetBranch.trim()) return { reason: 'System.PullRequest.TargetBranch is not set' };
  try {
    const cs = await gitChangeList(root, {
      cwd: root,
      baseRef: refs.targetBranch.trim(),
      prHeadSha: refs.sourceCommit.trim() || undefined,
      log,
    });
    const against = cs.via === 'merge-commit' ? 'the merge commit against its first parent' : `the merge base ${cs.base.slice(0, 12)}`;
    return { files: cs.files, touched: cs.touched, how: `${cs.files.length} in the diff of ${against}`, base: cs.base };
  } catch (err) {
    if (err instanceof ChangeError) return { reason: err.message };
    throw err;
  }
}

/** Registers every secret the scan found, line by line (the agent refuses multi-line secrets). */
function registerSecrets(tl: AzureTaskLib, result: ScanReport): void {
  for (const secret of result.redactor.secrets) {
    // The registered values are credential-like already; their lines are masked when long enough.
    for (const part of secret.split(/\r?\n/)) if (part.trim().length >= 8) tl.setSecret(part);
  }
}

/** True for a finding worth a log issue: an error or a warning, not suppressed or baselined. */
function isIssue(f: Finding): boolean {
  return !f.suppression && !f.baselined && LEVEL_RANK[f.level] >= LEVEL_RANK.warning;
}

/** The first `max` findings worth a log issue, most severe first, and how many there are. */
export function issueFindings(findings: Iterable<Finding>, max = MAX_ISSUES): { first: Finding[]; total: number } {
  const issues = function* (): Generator<Finding> {
    for (const f of findings) if (isIssue(f)) yield f;
  };
  return { first: topBySeverity(issues(), max), total: countWhere(findings, isIssue) };
}

function toRepoPath(sourcesDir: string, root: string, file: string): string {
  const abs = resolve(root, file);
  const rel = relative(sourcesDir, abs);
  return rel && !climbsOut(rel) ? rel.split(sep).join('/') : abs;
}

/** The task's output variables (task.json `outputVariables`), for later steps: `$(step.errors)`. */
export const OUTPUT_VARIABLES = ['errors', 'warnings', 'notes', 'findings', 'sarifFile'] as const;

/** Logs the findings as issues (at most MAX_ISSUES), with the values line a template read. */
function logIssues(tl: AzureTaskLib, sourcesDir: string, result: ScanReport): void {
  const red = (text: string): string => neutralize(result.redactor.redact(text));
  const issues = issueFindings(result.findings);
  for (const f of issues.first) {
    const type = f.level === 'error' ? tl.IssueType.Error : tl.IssueType.Warning;
    const { line, column } = f.range.start;
    tl.logIssue(type, red(`${f.message} (${f.ruleId})`), toRepoPath(sourcesDir, result.root, f.file), line, column, f.ruleId);
    // Where the user edits: the values line a template read gets an issue too.
    for (const r of (f.related ?? []).slice(0, 1)) {
      const text = red(`${f.message} (${r.message}; rendered by ${f.file}:${line}) (${f.ruleId})`);
      tl.logIssue(type, text, toRepoPath(sourcesDir, result.root, r.file), r.range.start.line, r.range.start.column, f.ruleId);
    }
  }
  if (issues.total > MAX_ISSUES) {
    tl.warning(
      `podguard logged the first ${MAX_ISSUES} of ${issues.total} findings as issues; the summary tab and SARIF have all of them.`,
    );
  }
}

/** What the run reads besides the inputs. */
interface Context {
  tl: AzureTaskLib;
  io: AzureIO;
  inputs: AzureInputs;
  sourcesDir: string;
  /** Where the summary (and by default the SARIF file) are written. */
  workDir: string;
  /** Where output files may go: the sources, the agent temp and the artifact staging directory. */
  roots: readonly string[];
  out: (text: string) => void;
}

/** What the scan covers: a pull request's change (git), else everything. */
function changeSource(ctx: Context): ChangeSource | Scope {
  const { tl, io, inputs, sourcesDir, out } = ctx;
  const isPullRequest = (tl.getVariable('Build.Reason') ?? '') === 'PullRequest';
  if (inputs.scanMode === 'all') return everything(`Scanned every file under ${inputs.paths.join(', ')}.`);
  if (!isPullRequest) return everything('Every file was scanned: this is not a pull-request build.');
  const refs: PullRequestRefs = {
    targetBranch: tl.getVariable('System.PullRequest.TargetBranch') ?? '',
    sourceCommit: tl.getVariable('System.PullRequest.SourceCommitId') ?? '',
  };
  const log = (line: string): void => out(`podguard: ${line}\n`);
  return {
    steps: [
      async () => {
        const changes = await (io.changes ?? pullRequestChanges)(sourcesDir, refs, log);
        if (!changes.files) return { reason: changes.reason };
        const description = `Scanned the files this pull request added or changed (${changes.how}).`;
        return { files: changes.files, touched: changes.touched, description, ...(changes.base ? { base: changes.base } : {}) };
      },
    ],
    fallback: ([reason]) => {
      tl.warning(neutralize(`podguard scans every file: ${reason}. Check out with fetchDepth: 0 to scan only the changed files.`));
      return everything(`Every file was scanned: the pull request's changed files could not be listed (${reason}).`);
    },
  };
}

/** The job's events as task library calls; every data line is neutralised. */
function jobPlatform(ctx: Context): JobPlatform {
  const { tl, io, inputs, sourcesDir, workDir, roots, out } = ctx;
  const isPullRequest = (tl.getVariable('Build.Reason') ?? '') === 'PullRequest';
  let commit = tl.getVariable('Build.SourceVersion') || undefined;
  if (isPullRequest) commit = tl.getVariable('System.PullRequest.SourceCommitId') || commit;
  const link = fileLink(tl, commit);
  return {
    info: (t) => out(`${t}\n`),
    notice: (t) => tl.warning(neutralize(t)),
    debug: (t) => tl.debug(neutralize(t)),
    secrets: (result) => registerSecrets(tl, result),
    scope: (t) => out(`podguard: ${t}\n`),
    // Data lines are neutralised; the fold markers are the task's own and must stay commands.
    text: { block: (t) => out(`${t}\n`), group: (title) => io.stdout(`##[group]${title}\n`), endGroup: () => io.stdout('##[endgroup]\n') },
    annotate: (result) => logIssues(tl, sourcesDir, result),
    ...(link ? { link } : {}),
    summary: (markdown) => {
      const summaryPath = join(workDir, 'podguard.md');
      writeOutputFile(summaryPath, markdown, roots, true);
      tl.uploadSummary(summaryPath);
    },
    sarifWritten: (path) => {
      out(`podguard: SARIF written to ${path}\n`);
      if (inputs.publishSarif) tl.uploadArtifact(inputs.artifactName, path, inputs.artifactName);
    },
    outputs: (o) => {
      const values: Record<(typeof OUTPUT_VARIABLES)[number], string> = {
        errors: String(o.counts.error),
        warnings: String(o.counts.warning),
        notes: String(o.counts.note),
        findings: String(o.findings),
        sarifFile: o.sarifFile,
      };
      for (const name of OUTPUT_VARIABLES) tl.setVariable(name, values[name], false, true);
    },
  };
}

/** The job's inputs from the task's. */
function jobInputs(ctx: Context): JobInputs {
  const { tl, io, inputs, sourcesDir, workDir, roots } = ctx;
  const get = (name: string): string | undefined => tl.getVariable(name);
  const sarifPath = inputs.sarifFile ? resolve(sourcesDir, inputs.sarifFile) : join(workDir, 'podguard.sarif');
  const provenance = provenanceFromEnv({
    BUILD_REPOSITORY_URI: get('Build.Repository.Uri'),
    BUILD_SOURCEVERSION: get('Build.SourceVersion'),
    BUILD_SOURCEBRANCH: get('Build.SourceBranch'),
  });
  return {
    root: sourcesDir,
    repoTop: sourcesDir,
    paths: inputs.paths,
    configPath: inputs.configPath,
    allowedImages: inputs.allowedImages,
    kubernetesVersion: inputs.kubernetesVersion,
    threads: inputs.threads,
    failOn: inputs.failOn,
    allowEmpty: inputs.allowEmpty,
    prConfig: inputs.prConfig,
    tempDir: get('Agent.TempDirectory') || tmpdir(),
    sarif: { file: sarifPath, shown: inputs.sarifFile || sarifPath, roots, options: { repositoryRoot: sourcesDir, provenance } },
    names: NAMES,
    ...(io.rules ? { rules: io.rules } : {}),
  };
}

/** Runs the task; sets the task result and never throws. */
export async function runAzure(tl: AzureTaskLib, io: AzureIO): Promise<void> {
  const out = (text: string): void => io.stdout(neutralize(text));
  try {
    const sourcesDir = resolve(tl.getVariable('Build.SourcesDirectory') || tl.getVariable('System.DefaultWorkingDirectory') || io.cwd);
    const inputs = readInputs(tl, sourcesDir);
    const workDir = join(tl.getVariable('Agent.TempDirectory') || tmpdir(), 'podguard');
    mkdirSync(workDir, { recursive: true });
    const roots = outputRoots(sourcesDir, {
      AGENT_TEMPDIRECTORY: tl.getVariable('Agent.TempDirectory'),
      BUILD_ARTIFACTSTAGINGDIRECTORY: tl.getVariable('Build.ArtifactStagingDirectory'),
    });
    const ctx: Context = { tl, io, inputs, sourcesDir, workDir, roots, out };
    const v = await runJob(jobInputs(ctx), jobPlatform(ctx), changeSource(ctx));
    const text = neutralize(v.text);
    if (v.failed) tl.setResult(tl.TaskResult.Failed, text);
    else if (someFinding(v.result.findings, isIssue)) tl.setResult(tl.TaskResult.SucceededWithIssues, text);
    else tl.setResult(tl.TaskResult.Succeeded, text);
    v.result.findings.dispose();
  } catch (err) {
    if (err instanceof ConfigurationError) {
      // Name the task's input when the message speaks of something else (a flag, a file).
      tl.setResult(tl.TaskResult.Failed, neutralize(`podguard: ${configurationMessage(err)}`));
      return;
    }
    tl.debug(neutralize((err as Error).stack ?? String(err)));
    tl.setResult(
      tl.TaskResult.Failed,
      neutralize(`podguard ${VERSION}: internal error: ${(err as Error).message}. Set system.debug to true for the stack trace.`),
    );
  }
}

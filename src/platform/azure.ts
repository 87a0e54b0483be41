/**
 * The Azure Pipelines face: task inputs in; findings as log issues, a Markdown summary tab, the
 * SARIF file as a build artifact (the SARIF SAST Scans tab reads `CodeAnalysisLogs`) and the
 * task result out. azure-pipelines-task-lib is passed in, so this module never loads it itself.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type * as TaskLib from 'azure-pipelines-task-lib/task.js';
import { scan } from '../engine.js';
import type { ScanInput, ScanResult } from '../engine.js';
import { sarifChunks } from '../report/sarif.js';
import { UnsafeOutputError, outputRoots, writeOutputFile } from '../report/safe-write.js';
import { bySeverity, renderSummary, verdict } from '../report/summary.js';
import { scanStats, toText } from '../report/text.js';
import { safeLines } from '../report/safe-text.js';
import { PR_CONFIG_MODES, pinToBase } from '../collect/base-config.js';
import type { PinnedConfig, PrConfigMode } from '../collect/base-config.js';
import { parseThreads } from './options.js';
import { ConfigurationError, LEVEL_RANK } from '../types.js';
import type { Finding, Level } from '../types.js';
import { VERSION } from '../version.js';
import { ChangeError, gitChanges, inSpans } from '../collect/changed.js';
import type { LineSpan } from '../collect/changed.js';

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
  rules?: ScanInput['rules'];
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

const FAIL_ON = ['error', 'warning', 'note', 'never'] as const;

/**
 * Breaks agent logging commands in text that came from scanned files: the agent acts on
 * `##vso[` and `##[` anywhere in a line, found with a culture-sensitive search (see safe-text.ts).
 */
export function neutralize(text: string): string {
  return safeLines(text);
}

function lines(value: string | undefined): string[] {
  return (value ?? '')
    .split(/\r?\n|,/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}

/** Reads and validates the task inputs. */
export function readInputs(tl: AzureTaskLib, sourcesDir: string): AzureInputs {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = (tl.getInput(name) ?? '').trim();
    if (!v) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new ConfigurationError(`input ${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  };
  // A filePath input left empty arrives as the sources directory itself.
  const rawConfig = (tl.getInput('config') ?? '').trim();
  const configPath = rawConfig && resolve(sourcesDir, rawConfig) !== resolve(sourcesDir) ? rawConfig : undefined;
  const kubernetesVersion = (tl.getInput('kubernetesVersion') ?? '').trim() || undefined;
  if (kubernetesVersion !== undefined && !/^1\.\d+$/.test(kubernetesVersion)) {
    throw new ConfigurationError(`input kubernetesVersion must look like 1.34 (got "${kubernetesVersion}")`);
  }
  const threads = parseThreads(tl.getInput('threads'), 'input threads');
  const artifactName = (tl.getInput('artifactName') ?? '').trim() || 'CodeAnalysisLogs';
  if (/[\\/:*?"<>|;\]]/.test(artifactName)) {
    throw new ConfigurationError(`input artifactName must not contain / \\ : * ? " < > | ; ] (got "${artifactName}")`);
  }
  return {
    paths: lines(tl.getInput('paths')),
    configPath,
    scanMode: pick('scan', ['changed', 'all'] as const, 'changed'),
    allowedImages: lines(tl.getInput('allowedImages')),
    failOn: pick('failOn', FAIL_ON, 'error'),
    sarifFile: (tl.getInput('sarifFile') ?? '').trim(),
    publishSarif: (tl.getInput('publishSarif') ?? '').trim() === '' ? true : tl.getBoolInput('publishSarif'),
    artifactName,
    kubernetesVersion,
    threads,
    allowEmpty: (tl.getInput('allowEmpty') ?? '').trim() === '' ? false : tl.getBoolInput('allowEmpty'),
    prConfig: pick('prConfig', PR_CONFIG_MODES, 'base'),
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
    const cs = await gitChanges({
      cwd: root,
      baseRef: refs.targetBranch.trim(),
      prHeadSha: refs.sourceCommit.trim() || undefined,
      log,
    });
    const touched = new Map<string, LineSpan[]>();
    const files: string[] = [];
    for (const f of cs.files) {
      const rel = relative(root, f.absPath).split(sep).join('/');
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      files.push(rel);
      touched.set(rel, f.lines);
    }
    const against = cs.via === 'merge-commit' ? 'the merge commit against its first parent' : `the merge base ${cs.base.slice(0, 12)}`;
    return { files, touched, how: `${files.length} in the diff of ${against}`, base: cs.base };
  } catch (err) {
    if (err instanceof ChangeError) return { reason: err.message };
    throw err;
  }
}

/** Registers every secret the scan found, line by line (the agent refuses multi-line secrets). */
function registerSecrets(tl: AzureTaskLib, result: ScanResult): void {
  for (const secret of result.redactor.secrets) {
    // The registered values are credential-like already; their lines are masked when long enough.
    for (const part of secret.split(/\r?\n/)) if (part.trim().length >= 8) tl.setSecret(part);
  }
}

/** Findings worth a log issue: errors and warnings, not suppressed or baselined, most severe first. */
export function issueFindings(findings: readonly Finding[]): Finding[] {
  return bySeverity(findings.filter((f) => !f.suppression && !f.baselined && LEVEL_RANK[f.level] >= LEVEL_RANK.warning));
}

function toRepoPath(sourcesDir: string, root: string, file: string): string {
  const abs = resolve(root, file);
  const rel = relative(sourcesDir, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
}

/** Runs the task; sets the task result and never throws. */
export async function runAzure(tl: AzureTaskLib, io: AzureIO): Promise<void> {
  const out = (text: string): void => io.stdout(neutralize(text));
  try {
    const sourcesDir = resolve(tl.getVariable('Build.SourcesDirectory') || tl.getVariable('System.DefaultWorkingDirectory') || io.cwd);
    const inputs = readInputs(tl, sourcesDir);
    const isPullRequest = (tl.getVariable('Build.Reason') ?? '') === 'PullRequest';

    let changedFiles: string[] | undefined;
    let pinned: PinnedConfig | undefined;
    let touched: Map<string, LineSpan[]> | undefined;
    let scope = `Scanned every file under ${inputs.paths.length ? inputs.paths.join(', ') : '.'}.`;
    let commit = tl.getVariable('Build.SourceVersion') || undefined;
    if (isPullRequest) commit = tl.getVariable('System.PullRequest.SourceCommitId') || commit;
    if (inputs.scanMode === 'changed' && isPullRequest) {
      const refs: PullRequestRefs = {
        targetBranch: tl.getVariable('System.PullRequest.TargetBranch') ?? '',
        sourceCommit: tl.getVariable('System.PullRequest.SourceCommitId') ?? '',
      };
      const log = (line: string): void => out(`podguard: ${line}\n`);
      const changes = await (io.changes ?? pullRequestChanges)(sourcesDir, refs, log);
      if (changes.files) {
        changedFiles = changes.files;
        touched = changes.touched;
        scope = `Scanned the files this pull request added or changed (${changes.how}).`;
        if (changes.base) {
          // A pull request must not loosen its own gate: its base commit's configuration applies.
          pinned = await pinToBase({
            root: sourcesDir,
            repoTop: sourcesDir,
            base: changes.base,
            changed: changes.files,
            configFile: resolve(sourcesDir, inputs.configPath ?? '.podguard.yml'),
            mode: inputs.prConfig,
            tempDir: tl.getVariable('Agent.TempDirectory') || tmpdir(),
            input: 'prConfig',
          });
          for (const n of pinned.notices) tl.warning(neutralize(`podguard: ${n}`));
          if (pinned.notices.length) scope = `${scope} ${pinned.notices.join(' ')}`;
        }
      } else {
        tl.warning(
          neutralize(`podguard scans every file: ${changes.reason}. Check out with fetchDepth: 0 to scan only the changed files.`),
        );
        scope = `Every file was scanned: the pull request's changed files could not be listed (${changes.reason}).`;
      }
    } else if (inputs.scanMode === 'changed') {
      scope = 'Every file was scanned: this is not a pull-request build.';
    }
    out(`podguard: ${scope}\n`);

    const result = await scan({
      root: sourcesDir,
      paths: inputs.paths.length ? inputs.paths : ['.'],
      configPath: pinned?.config !== undefined ? undefined : inputs.configPath,
      ...(pinned?.config !== undefined ? { config: pinned.config } : {}),
      ...(pinned?.baseline !== undefined ? { baseline: pinned.baseline } : {}),
      allowImages: inputs.allowedImages,
      changedFiles,
      requireChecked: !inputs.allowEmpty,
      rules: io.rules,
      ...(inputs.threads ? { threads: inputs.threads } : {}),
      adjust: (s) => {
        if (inputs.kubernetesVersion) s.kubernetesVersion = inputs.kubernetesVersion;
      },
    }).catch((err: unknown) => {
      // Name the input at fault: the engine's message speaks of paths and files, not inputs.
      if (err instanceof ConfigurationError && /^path (not found|outside|checked nothing)/.test(err.message))
        throw new ConfigurationError(`input paths: ${err.message}`);
      if (err instanceof ConfigurationError && /^--allow-image/.test(err.message)) {
        throw new ConfigurationError(`input allowedImages: ${err.message.replace(/^--allow-image /, '')}`);
      }
      throw err;
    });
    registerSecrets(tl, result);
    tl.debug(neutralize(scanStats(result)));
    const red = (text: string): string => result.redactor.redact(text);

    out(red(toText(result, { color: false })));

    const issues = issueFindings(result.findings);
    for (const f of issues.slice(0, MAX_ISSUES)) {
      tl.logIssue(
        f.level === 'error' ? tl.IssueType.Error : tl.IssueType.Warning,
        neutralize(red(`${f.message} (${f.ruleId})`)),
        toRepoPath(sourcesDir, result.root, f.file),
        f.range.start.line,
        f.range.start.column,
        f.ruleId,
      );
    }
    if (issues.length > MAX_ISSUES) {
      tl.warning(
        `podguard logged the first ${MAX_ISSUES} of ${issues.length} findings as issues; the summary tab and SARIF have all of them.`,
      );
    }

    const tempDir = tl.getVariable('Agent.TempDirectory') || tmpdir();
    const workDir = join(tempDir, 'podguard');
    mkdirSync(workDir, { recursive: true });

    const summary = renderSummary(result, {
      failOn: inputs.failOn,
      link: fileLink(tl, commit),
      touched: touched ? (f) => inSpans(touched.get(f.file), f.range.start.line) : undefined,
      scope: red(neutralize(scope)),
    });
    const roots = outputRoots(sourcesDir, {
      AGENT_TEMPDIRECTORY: tl.getVariable('Agent.TempDirectory'),
      BUILD_ARTIFACTSTAGINGDIRECTORY: tl.getVariable('Build.ArtifactStagingDirectory'),
    });
    const summaryPath = join(workDir, 'podguard.md');
    writeOutputFile(summaryPath, red(summary), roots, true);
    tl.uploadSummary(summaryPath);

    const sarifPath = inputs.sarifFile ? resolve(sourcesDir, inputs.sarifFile) : join(workDir, 'podguard.sarif');
    try {
      // Never through a link the pull request planted, never outside the sources or agent temp.
      writeOutputFile(sarifPath, sarifChunks(result), roots, true);
    } catch (err) {
      const why = err instanceof UnsafeOutputError ? err.message : ((err as NodeJS.ErrnoException).code ?? 'error');
      throw new ConfigurationError(`input sarifFile: cannot write ${inputs.sarifFile || sarifPath} (${why})`);
    }
    out(`podguard: SARIF written to ${sarifPath}\n`);
    if (inputs.publishSarif) tl.uploadArtifact(inputs.artifactName, sarifPath, inputs.artifactName);

    const v = verdict(result, inputs.failOn);
    const text = neutralize(red(v.text));
    if (v.failed) tl.setResult(tl.TaskResult.Failed, text);
    else if (issues.length > 0) tl.setResult(tl.TaskResult.SucceededWithIssues, text);
    else tl.setResult(tl.TaskResult.Succeeded, text);
  } catch (err) {
    if (err instanceof ConfigurationError) {
      tl.setResult(tl.TaskResult.Failed, neutralize(`podguard: ${err.message}`));
      return;
    }
    tl.debug(neutralize((err as Error).stack ?? String(err)));
    tl.setResult(
      tl.TaskResult.Failed,
      neutralize(`podguard ${VERSION}: internal error: ${(err as Error).message}. Set system.debug to true for the stack trace.`),
    );
  }
}

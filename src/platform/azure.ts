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
import { runTimes, sarifOmittedLine, writeSarif } from '../report/sarif.js';
import { provenanceFromEnv } from '../report/provenance.js';
import { UnsafeOutputError, outputRoots, writeOutputFile } from '../report/safe-write.js';
import { renderSummary, verdict } from '../report/summary.js';
import { scanStats, writeText } from '../report/text.js';
import { safeLines } from '../safe-text.js';
import { PR_CONFIG_MODES, pinToBase } from '../collect/base-config.js';
import type { PinnedConfig, PrConfigMode } from '../collect/base-config.js';
import { forInput, parseFailOn, parseKubernetesVersion, parseOneOf, parseThreads } from './inputs.js';
import { bySeverity, countByLevel } from '../findings.js';
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
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T =>
    parseOneOf(tl.getInput(name), `input ${name}`, allowed, fallback);
  // A filePath input left empty arrives as the sources directory itself.
  const rawConfig = (tl.getInput('config') ?? '').trim();
  const configPath = rawConfig && resolve(sourcesDir, rawConfig) !== resolve(sourcesDir) ? rawConfig : undefined;
  const target = parseKubernetesVersion(tl.getInput('kubernetesVersion'), 'input kubernetesVersion');
  if (target?.warning) tl.warning(target.warning);
  const kubernetesVersion = target?.version;
  const threads = parseThreads(tl.getInput('threads'), 'input threads');
  const artifactName = (tl.getInput('artifactName') ?? '').trim() || 'CodeAnalysisLogs';
  if (/[\\/:*?"<>|;\]]/.test(artifactName)) {
    throw new ConfigurationError(`input artifactName must not contain / \\ : * ? " < > | ; ] (got "${artifactName}")`, {
      input: 'artifactName',
    });
  }
  return {
    paths: lines(tl.getInput('paths')),
    configPath,
    scanMode: pick('scan', ['changed', 'all'] as const, 'changed'),
    allowedImages: lines(tl.getInput('allowedImages')),
    failOn: parseFailOn(tl.getInput('failOn'), 'input failOn'),
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

/** The task's output variables (task.json `outputVariables`), for later steps: `$(step.errors)`. */
export const OUTPUT_VARIABLES = ['errors', 'warnings', 'notes', 'findings', 'sarifFile'] as const;

/** Sets the output variables: counts of unsuppressed findings (baselined count as notes) and the SARIF path. */
function setOutputs(tl: AzureTaskLib, result: ScanResult, sarifPath: string): void {
  const counts = countByLevel(result.findings);
  const values: Record<(typeof OUTPUT_VARIABLES)[number], string> = {
    errors: String(counts.error),
    warnings: String(counts.warning),
    notes: String(counts.note),
    findings: String(counts.error + counts.warning + counts.note),
    sarifFile: sarifPath,
  };
  for (const name of OUTPUT_VARIABLES) tl.setVariable(name, values[name], false, true);
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

    const scanOf = (changedFiles: string[] | undefined, requireChecked: boolean): Promise<ScanResult> =>
      scan({
        root: sourcesDir,
        paths: inputs.paths.length ? inputs.paths : ['.'],
        configPath: pinned?.config !== undefined ? undefined : inputs.configPath,
        ...(pinned?.config !== undefined ? { config: pinned.config } : {}),
        ...(pinned?.baseline !== undefined ? { baseline: pinned.baseline } : {}),
        ...(pinned?.policyRoot !== undefined ? { policyRoot: pinned.policyRoot } : {}),
        allowImages: inputs.allowedImages,
        changedFiles,
        requireChecked,
        rules: io.rules,
        ...(inputs.threads ? { threads: inputs.threads } : {}),
        adjust: (s) => {
          if (inputs.kubernetesVersion) s.kubernetesVersion = inputs.kubernetesVersion;
        },
      }).catch((err: unknown) => {
        // Name the input at fault: the engine's message speaks of paths and files, not inputs.
        throw forInput(err, { paths: 'paths', allowImages: 'allowedImages' });
      });
    const result = await scanOf(changedFiles, !inputs.allowEmpty);
    registerSecrets(tl, result);
    tl.debug(neutralize(scanStats(result)));
    const red = (text: string): string => result.redactor.redact(text);

    // Data lines are neutralised; the fold markers are the task's own and must stay commands.
    // Lines go out in blocks: one console write per line is slow on large scans.
    let block: string[] = [];
    const flush = (): void => {
      if (block.length) out(`${red(block.join('\n'))}\n`);
      block = [];
    };
    writeText(
      result,
      { color: false },
      {
        line: (t) => {
          block.push(t);
          if (block.length >= 1000) flush();
        },
        group: (title) => {
          flush();
          io.stdout(`##[group]${title}\n`);
        },
        endGroup: () => {
          flush();
          io.stdout('##[endgroup]\n');
        },
      },
    );
    flush();

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
      // Where the user edits: the values line a template read gets an issue too.
      for (const r of (f.related ?? []).slice(0, 1)) {
        tl.logIssue(
          f.level === 'error' ? tl.IssueType.Error : tl.IssueType.Warning,
          neutralize(red(`${f.message} (${r.message}; rendered by ${f.file}:${f.range.start.line}) (${f.ruleId})`)),
          toRepoPath(sourcesDir, result.root, r.file),
          r.range.start.line,
          r.range.start.column,
          f.ruleId,
        );
      }
    }
    if (issues.length > MAX_ISSUES) {
      tl.warning(
        `podguard logged the first ${MAX_ISSUES} of ${issues.length} findings as issues; the summary tab and SARIF have all of them.`,
      );
    }

    const tempDir = tl.getVariable('Agent.TempDirectory') || tmpdir();
    const workDir = join(tempDir, 'podguard');
    mkdirSync(workDir, { recursive: true });

    const roots = outputRoots(sourcesDir, {
      AGENT_TEMPDIRECTORY: tl.getVariable('Agent.TempDirectory'),
      BUILD_ARTIFACTSTAGINGDIRECTORY: tl.getVariable('Build.ArtifactStagingDirectory'),
    });
    const sarifPath = inputs.sarifFile ? resolve(sourcesDir, inputs.sarifFile) : join(workDir, 'podguard.sarif');
    // The SARIF file is the full state of the scanned paths (alert tracking per branch closes what
    // an upload lacks); the gate, issues and summary stay on the pull request's change.
    const sarifSource = changedFiles ? await scanOf(undefined, false) : result;
    if (sarifSource !== result) registerSecrets(tl, sarifSource);
    const get = (name: string): string | undefined => tl.getVariable(name);
    const written = writeSarif(
      sarifPath,
      sarifSource,
      {
        repositoryRoot: sourcesDir,
        provenance: provenanceFromEnv({
          BUILD_REPOSITORY_URI: get('Build.Repository.Uri'),
          BUILD_SOURCEVERSION: get('Build.SourceVersion'),
          BUILD_SOURCEBRANCH: get('Build.SourceBranch'),
        }),
        times: runTimes(sarifSource),
      },
      (path, chunks) => {
        try {
          // Never through a link the pull request planted, never outside the sources or agent temp.
          writeOutputFile(path, chunks, roots, true);
        } catch (err) {
          const why = err instanceof UnsafeOutputError ? err.message : ((err as NodeJS.ErrnoException).code ?? 'error');
          throw new ConfigurationError(`input sarifFile: cannot write ${inputs.sarifFile || path} (${why})`, { input: 'sarifFile' });
        }
      },
    );
    if (written.omitted.size > 0) out(`podguard: ${sarifOmittedLine(written).replace(/\*\*/g, '')}\n`);

    const summary = renderSummary(result, {
      failOn: inputs.failOn,
      link: fileLink(tl, commit),
      touched: touched
        ? (f) =>
            inSpans(touched.get(f.file), f.range.start.line) ||
            (f.related ?? []).some((r) => inSpans(touched.get(r.file), r.range.start.line))
        : undefined,
      scope: red(neutralize(scope)),
      gateName: 'failOn',
    });
    const summaryPath = join(workDir, 'podguard.md');
    writeOutputFile(summaryPath, red(written.omitted.size > 0 ? `${summary}\n${sarifOmittedLine(written)}\n` : summary), roots, true);
    tl.uploadSummary(summaryPath);
    out(`podguard: SARIF written to ${sarifPath}\n`);
    if (inputs.publishSarif) tl.uploadArtifact(inputs.artifactName, sarifPath, inputs.artifactName);

    setOutputs(tl, result, sarifPath);
    const v = verdict(result, inputs.failOn, 'failOn');
    const text = neutralize(red(v.text));
    if (v.failed) tl.setResult(tl.TaskResult.Failed, text);
    else if (issues.length > 0) tl.setResult(tl.TaskResult.SucceededWithIssues, text);
    else tl.setResult(tl.TaskResult.Succeeded, text);
  } catch (err) {
    if (err instanceof ConfigurationError) {
      // Name the task's input when the message speaks of something else (a flag, a file).
      const named = err.input && !err.message.includes(err.input) ? `input ${err.input}: ${err.message}` : err.message;
      tl.setResult(tl.TaskResult.Failed, neutralize(`podguard: ${named}`));
      return;
    }
    tl.debug(neutralize((err as Error).stack ?? String(err)));
    tl.setResult(
      tl.TaskResult.Failed,
      neutralize(`podguard ${VERSION}: internal error: ${(err as Error).message}. Set system.debug to true for the stack trace.`),
    );
  }
}

/**
 * The GitHub Action face: inputs, the files a pull request changed, annotations, the job
 * summary, SARIF, outputs and the gate. `@actions/core` is injected so tests can record calls.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { MAX_CONFIG_BYTES, readContainedFile } from '../config/safe-read.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { addedLinesFromPatch, gitChanges, inSpans } from '../collect/changed.js';
import type { LineSpan } from '../collect/changed.js';
import { collect } from '../collect/collect.js';
import { gitTopLevel } from '../collect/git.js';
import { validatePattern } from '../config/patterns.js';
import { scan } from '../engine.js';
import { bySeverity, countByLevel, displayLevel, gates } from '../findings.js';
import type { Settings } from '../config/settings.js';
import type { ScanResult } from '../engine.js';
import { runTimes, sarifCategory, sarifOmittedLine, toUri, writeSarif } from '../report/sarif.js';
import type { SarifWritten } from '../report/sarif.js';
import { provenanceFromEnv } from '../report/provenance.js';
import { outputRoots, writeOutputFile } from '../report/safe-write.js';
import { renderSummary, verdict } from '../report/summary.js';
import { scanStats, writeText } from '../report/text.js';
import { safeCore } from './safe-core.js';
import type { ActionsCore, Annotation } from './safe-core.js';
import { PR_CONFIG_MODES, pinToBase } from '../collect/base-config.js';
import type { PinnedConfig, PrConfigMode } from '../collect/base-config.js';
import { tmpdir } from 'node:os';
import { safeData } from '../safe-text.js';
import { forInput, inPaths, isGlob, parseFailOn, parseKubernetesVersion, parseThreads } from './inputs.js';
import { ConfigurationError } from '../types.js';
import type { Finding, Level } from '../types.js';
import type { Rule } from '../rule.js';
import { ruleDocUrl } from '../version.js';

/** A file of a pull request as the REST API lists it. */
export interface PullFile {
  filename: string;
  status: string;
  patch?: string;
}

/** Lists a pull request's files through the REST API (injected; the entry uses @actions/github). */
export type ListPullFiles = (req: { token: string; owner: string; repo: string; pullNumber: number }) => Promise<PullFile[]>;

/** Everything the action talks to. */
export interface GitHubPlatform {
  core: ActionsCore;
  env: Record<string, string | undefined>;
  listPullFiles: ListPullFiles;
  /** Rules to run (default: all registered); tests add their own. */
  rules?: readonly Rule[];
}

/** The inputs, validated. */
export interface ActionInputs {
  paths: string[];
  /** Absolute path of the configuration file, or undefined to use the defaults. */
  config?: string;
  scan: 'changed' | 'all';
  allowedImages: string[];
  /** Target Kubernetes version (`1.34`) for removed-API checks; overrides the configuration. */
  kubernetesVersion: string | undefined;
  /** Threads that check files (undefined: the engine decides). */
  threads: number | undefined;
  failOn: Level | 'never';
  sarifFile: string;
  /** The SARIF category (`automationDetails.id`), from the `category` input. */
  category: string;
  annotations: boolean;
  summary: boolean;
  token: string;
  /** Pass when a named path holds no file podguard checks (default: an input error). */
  allowEmpty: boolean;
  /** Where a changed-files scan takes .podguard.yml and the baseline from when the change modifies them. */
  prConfig: PrConfigMode;
}

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATION_LIMIT = 10;
/** The REST API lists at most this many files of a pull request. */
export const REST_FILE_LIMIT = 3000;
const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

function bool(core: ActionsCore, name: string, fallback: boolean): boolean {
  const v = core.getInput(name).trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigurationError(`input ${name} must be true or false (got "${core.getInput(name).trim()}")`);
}

function oneOf<T extends string>(core: ActionsCore, name: string, allowed: readonly T[], fallback: T): T {
  const v = core.getInput(name).trim();
  if (v === '') return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new ConfigurationError(`input ${name} must be one of ${allowed.join(', ')} (got "${v}")`);
}

/** Reads and validates the inputs; throws ConfigurationError naming the input at fault. */
export function readInputs(core: ActionsCore, eventName: string, workspace: string): ActionInputs {
  const failOn = parseFailOn(core.getInput('fail-on'), 'input fail-on');
  const scanMode = oneOf(core, 'scan', ['changed', 'all'] as const, PR_EVENTS.has(eventName) ? 'changed' : 'all');
  const allowedImages = lines(core.getInput('allowed-images'));
  for (const p of allowedImages) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`input allowed-images: ${JSON.stringify(p)} ${problem}`);
  }
  const target = parseKubernetesVersion(core.getInput('kubernetes-version'), 'input kubernetes-version');
  if (target?.warning) core.warning(target.warning);
  const kubernetesVersion = target?.version;
  const threads = parseThreads(core.getInput('threads'), 'input threads');
  const paths = lines(core.getInput('paths'));
  for (const p of paths) {
    if (isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
      throw new ConfigurationError(`input paths: ${JSON.stringify(p)} must be relative to the workspace, without ".."`);
    }
  }
  const configInput = core.getInput('config').trim();
  let config: string | undefined;
  if (configInput !== '') {
    const abs = resolve(workspace, configInput);
    const isDefault = configInput === '.podguard.yml';
    if (lstatSync(abs, { throwIfNoEntry: false })) {
      try {
        readContainedFile(workspace, abs, { label: configInput, maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
      } catch (err) {
        throw new ConfigurationError(`input config: ${(err as Error).message}`);
      }
      config = abs;
    } else if (!isDefault) {
      throw new ConfigurationError(`input config: ${configInput} does not exist in the workspace`);
    }
  }
  const sarifFile = core.getInput('sarif-file').trim() || 'podguard.sarif';
  return {
    paths: paths.length ? paths : ['.'],
    config,
    scan: scanMode,
    allowedImages,
    kubernetesVersion,
    threads,
    failOn,
    sarifFile: resolve(workspace, sarifFile),
    category: sarifCategory(core.getInput('category'), 'input category'),
    annotations: bool(core, 'annotations', true),
    summary: bool(core, 'summary', true),
    token: core.getInput('token').trim(),
    allowEmpty: bool(core, 'allow-empty', false),
    prConfig: oneOf(core, 'pr-config', PR_CONFIG_MODES, 'base'),
  };
}

/** The event payload fields we read. */
interface Payload {
  before?: string;
  after?: string;
  repository?: { full_name?: string };
  pull_request?: {
    number?: number;
    changed_files?: number;
    base?: { sha?: string; ref?: string };
    head?: { sha?: string };
  };
  merge_group?: { base_sha?: string; base_ref?: string };
}

function readPayload(path: string | undefined): Payload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Payload;
  } catch {
    return {};
  }
}

/** What a changed-files scan covers. */
export interface Scope {
  /** Files to scan (root-relative), or undefined for everything under the paths. */
  files?: string[];
  /** Touched lines per root-relative path. */
  touched: Map<string, LineSpan[]>;
  /** One line for the log and the summary. */
  description: string;
  /** The commit the change is compared against (git only). */
  base?: string;
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/** Works out which files to scan: git first, the REST API second, everything last. */
async function changedScope(
  platform: GitHubPlatform,
  inputs: ActionInputs,
  root: string,
  eventName: string,
  payload: Payload,
  repoTop: string,
): Promise<Scope> {
  const { core } = platform;
  const pr = payload.pull_request;
  let baseSha: string | undefined;
  let baseRef: string | undefined;
  if (pr) {
    baseSha = pr.base?.sha;
    baseRef = pr.base?.ref;
  } else if (payload.merge_group) {
    baseSha = payload.merge_group.base_sha;
    baseRef = payload.merge_group.base_ref;
  } else if (eventName === 'push' && payload.before && !/^0+$/.test(payload.before)) {
    baseSha = payload.before;
  }
  if (!baseSha && !baseRef) {
    return {
      touched: new Map(),
      description: `The ${eventName || 'current'} event has no base to compare with, so every file was scanned.`,
    };
  }
  const label = pr ? 'this pull request' : 'this change';
  let gitReason: string;
  try {
    const cs = await gitChanges({
      cwd: repoTop,
      baseSha,
      baseRef,
      prHeadSha: pr?.head?.sha,
      log: (m) => core.info(m),
    });
    if (pr && cs.base === cs.head) {
      // pull_request_target checks out the base branch by default: the PR's files are not here.
      core.warning(
        `podguard: the checked-out commit ${cs.head.slice(0, 7)} does not contain this pull request's changes, so nothing was scanned. On pull_request_target, check out github.event.pull_request.head.sha (and mind that it is untrusted code).`,
      );
      return {
        files: [],
        touched: new Map(),
        description: `Nothing was scanned: the checked-out commit ${cs.head.slice(0, 7)} does not contain this pull request's changes.`,
      };
    }
    const touched = new Map<string, LineSpan[]>();
    const files = cs.files.map((f) => {
      const rel = toRel(root, f.absPath);
      touched.set(rel, f.lines);
      return rel;
    });
    return {
      files,
      touched,
      base: cs.base,
      description: `Scanned the files ${label} added or changed (${files.length} in the diff against ${cs.base.slice(0, 7)}).`,
    };
  } catch (err) {
    gitReason = (err as Error).message;
    core.info(`podguard: git could not list the changed files: ${gitReason}`);
  }

  const [owner, repo] = (platform.env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '').split('/');
  if (!pr?.number || !owner || !repo) {
    core.warning(`podguard scanned every file: git could not list the changed files (${gitReason}).`);
    return { touched: new Map(), description: `Every file was scanned: git could not list the changed files (${gitReason}).` };
  }
  try {
    if (!inputs.token) throw new Error('the token input is empty');
    const list = await platform.listPullFiles({ token: inputs.token, owner, repo, pullNumber: pr.number });
    const expected = pr.changed_files;
    if (list.length >= REST_FILE_LIMIT || (expected !== undefined && list.length < expected)) {
      core.notice(
        `podguard scanned every file: this pull request changes ${expected ?? 'more than ' + REST_FILE_LIMIT} files and the GitHub API lists only ${list.length}.`,
      );
      return {
        touched: new Map(),
        description: `Every file was scanned: the pull request is too large for the GitHub API to list its files (${list.length} of ${expected ?? '?'}).`,
      };
    }
    const touched = new Map<string, LineSpan[]>();
    const files: string[] = [];
    for (const f of list) {
      if (f.status === 'removed') continue;
      const rel = toRel(root, resolve(repoTop, f.filename));
      files.push(rel);
      touched.set(rel, addedLinesFromPatch(f.patch));
    }
    core.info(`podguard: listed ${files.length} changed files through the GitHub API instead.`);
    return {
      files,
      touched,
      // The base commit may not be fetched: its files then count as absent, which is the strict side
      // (default configuration, no baseline).
      ...(pr.base?.sha ? { base: pr.base.sha } : {}),
      description: `Scanned the files ${label} added or changed (${files.length}, listed by the GitHub API because git could not: ${gitReason}).`,
    };
  } catch (err) {
    const why = (err as Error).message;
    core.warning(`podguard scanned every file: git (${gitReason}) and the GitHub API (${why}) could not list the changed files.`);
    return {
      touched: new Map(),
      description: `Every file was scanned: neither git (${gitReason}) nor the GitHub API (${why}) could list the changed files.`,
    };
  }
}

/** The files under `paths` (entries may be globs) among `candidates` (shared with the CLI). */
export { inPaths };

/** Annotations in the order GitHub should get them, within its per-level limits. */
export function annotationPlan(findings: readonly Finding[], touched: (f: Finding) => boolean): { shown: Finding[]; hidden: number } {
  const visible = findings.filter((f) => !f.suppression);
  const used: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  const shown: Finding[] = [];
  // Keep one notice free for the "N more" line.
  const limit: Record<Level, number> = { error: ANNOTATION_LIMIT, warning: ANNOTATION_LIMIT, note: ANNOTATION_LIMIT - 1 };
  for (const f of bySeverity(visible, touched)) {
    const level = displayLevel(f);
    if (used[level] >= limit[level]) continue;
    used[level]++;
    shown.push(f);
  }
  return { shown, hidden: visible.length - shown.length };
}

/** The annotation properties of a finding; `file` is relative to the repository root. */
export function annotationOf(f: Finding, file: string): Annotation {
  const { start, end } = f.range;
  const a: Annotation = { title: `podguard: ${f.ruleId}`, file, startLine: start.line, endLine: Math.max(end.line, start.line) };
  // GitHub accepts columns only on single-line annotations; its end column is inclusive.
  if (end.line === start.line) {
    a.startColumn = start.column;
    a.endColumn = Math.max(start.column, end.column - 1);
  }
  return a;
}

function emitAnnotations(
  platform: GitHubPlatform,
  result: ScanResult,
  touched: (f: Finding) => boolean,
  repoPath: (file: string) => string,
): void {
  const { core } = platform;
  const red = result.redactor;
  const { shown, hidden } = annotationPlan(result.findings, touched);
  for (const f of shown) {
    const level = displayLevel(f);
    const message = red.redact(`${f.message}\nHow to fix: ${ruleDocUrl(f.ruleId)}`);
    const props = annotationOf(f, repoPath(f.file));
    if (level === 'error') core.error(message, props);
    else if (level === 'warning') core.warning(message, props);
    else core.notice(message, props);
    // Where the user edits: the values line a template read gets the annotation too.
    for (const r of (f.related ?? []).slice(0, 1)) {
      const at = annotationOf({ ...f, range: r.range }, repoPath(r.file));
      const text = red.redact(
        `${f.message} (${r.message}; rendered by ${f.file}:${f.range.start.line})\nHow to fix: ${ruleDocUrl(f.ruleId)}`,
      );
      if (level === 'error') core.error(text, at);
      else if (level === 'warning') core.warning(text, at);
      else core.notice(text, at);
    }
  }
  if (hidden > 0) {
    core.notice(
      `podguard: ${hidden} more finding${hidden === 1 ? ' is' : 's are'} not shown as annotations (GitHub shows at most ${ANNOTATION_LIMIT} errors and ${ANNOTATION_LIMIT} warnings per step): see the job summary and the SARIF file.`,
    );
  }
}

/** Runs the action; returns the exit code (0 pass, 1 gate failed, 2 bad input or internal error). */
export async function runAction(platform: GitHubPlatform): Promise<number> {
  // Every line the action logs passes one writer that lets no scanned byte start a command.
  const core = safeCore(platform.core);
  const { env } = platform;
  platform = { ...platform, core };
  try {
    const root = resolve(env.GITHUB_WORKSPACE || process.cwd());
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const inputs = readInputs(core, eventName, root);
    const payload = readPayload(env.GITHUB_EVENT_PATH);

    // actions/checkout with `path:` puts the repository below the workspace: find it from `paths`.
    let repoTop = await gitTopLevel(root);
    for (const p of inputs.paths) {
      if (repoTop) break;
      if (!isGlob(p)) repoTop = await gitTopLevel(resolve(root, p));
    }
    repoTop ??= root;

    let scope: Scope = { touched: new Map(), description: `Scanned every file under ${inputs.paths.join(', ')} (scan: all).` };
    if (inputs.scan === 'changed') scope = await changedScope(platform, inputs, root, eventName, payload, repoTop);
    let changedFiles = scope.files ? inPaths(inputs.paths, scope.files) : undefined;
    let paths = inputs.paths;
    if (changedFiles) paths = ['.'];
    else if (inputs.paths.some(isGlob)) {
      // Globs select among every file the engine would collect from the workspace.
      const all = await collect({ root, paths: ['.'], exclude: [] });
      const rels = all.candidates.map((c) => c.relPath);
      changedFiles = inPaths(inputs.paths, rels);
      for (const p of inputs.paths) {
        if (!inputs.allowEmpty && inPaths([p], rels).length === 0) {
          throw new ConfigurationError(
            `input paths: ${safeData(p)} matches no Kubernetes, Dockerfile, compose or ACI file (set allow-empty: true if that is expected)`,
          );
        }
      }
      paths = ['.'];
    }

    // A pull request must not loosen its own gate: its base commit's configuration applies.
    let pinned: PinnedConfig | undefined;
    if (scope.files && scope.base) {
      pinned = await pinToBase({
        root,
        repoTop,
        base: scope.base,
        changed: scope.files,
        configFile: inputs.config ?? resolve(root, '.podguard.yml'),
        mode: inputs.prConfig,
        tempDir: env.RUNNER_TEMP || tmpdir(),
        input: 'pr-config',
      });
      for (const n of pinned.notices) core.notice(`podguard: ${n}`);
      if (pinned.notices.length) scope = { ...scope, description: `${scope.description} ${pinned.notices.join(' ')}` };
    }

    const scanOf = async (paths: string[], changedFiles: string[] | undefined, requireChecked = false): Promise<ScanResult> => {
      try {
        return await scan({
          root,
          paths,
          configPath: pinned?.config !== undefined ? undefined : inputs.config,
          ...(pinned?.config !== undefined ? { config: pinned.config } : {}),
          ...(pinned?.baseline !== undefined ? { baseline: pinned.baseline } : {}),
          ...(pinned?.policyRoot !== undefined ? { policyRoot: pinned.policyRoot } : {}),
          allowImages: inputs.allowedImages,
          changedFiles,
          requireChecked,
          rules: platform.rules,
          ...(inputs.threads ? { threads: inputs.threads } : {}),
          ...(inputs.kubernetesVersion ? { adjust: (s: Settings) => void (s.kubernetesVersion = inputs.kubernetesVersion!) } : {}),
        });
      } catch (err) {
        throw forInput(err, { paths: 'paths', allowImages: 'allowed-images' }, 'config');
      }
    };
    const result = await scanOf(paths, changedFiles, !inputs.allowEmpty);
    // Mask before anything is printed: the runner then scrubs these values from every log line.
    for (const s of result.redactor.secrets) core.setSecret(s);
    core.debug(scanStats(result));

    // Annotations and links are relative to the repository, which may sit below the workspace.
    const repoPath = (file: string): string => {
      const rel = toRel(repoTop, resolve(root, file));
      return rel.startsWith('../') ? file : rel;
    };
    // A rendered finding is in the change when its template line or the values/patch line it came from is.
    const touched = (f: Finding): boolean =>
      inSpans(scope.touched.get(f.file), f.range.start.line) ||
      (f.related ?? []).some((r) => inSpans(scope.touched.get(r.file), r.range.start.line));

    core.info(scope.description);
    // Lines go out in blocks: one runner log write per line is slow on large scans.
    let block: string[] = [];
    const flush = (): void => {
      if (block.length) core.info(block.join('\n'));
      block = [];
    };
    const fold = core.startGroup && core.endGroup;
    writeText(
      result,
      { color: false },
      {
        line: (t) => {
          block.push(t);
          if (block.length >= 1000) flush();
        },
        ...(fold
          ? {
              group: (title: string) => {
                flush();
                core.startGroup!(title);
              },
              endGroup: () => {
                flush();
                core.endGroup!();
              },
            }
          : {}),
      },
    );
    flush();

    // Code scanning takes each upload as the full state of its branch (alerts missing from it are
    // closed), so the SARIF file always covers every file under `paths`, even when the gate and
    // the annotations look at the change only.
    let sarifSource = result;
    if (scope.files) {
      const globs = inputs.paths.some(isGlob);
      const all = globs ? await collect({ root, paths: ['.'], exclude: [] }) : undefined;
      sarifSource = await scanOf(
        globs ? ['.'] : inputs.paths,
        all
          ? inPaths(
              inputs.paths,
              all.candidates.map((c) => c.relPath),
            )
          : undefined,
      );
      for (const s of sarifSource.redactor.secrets) core.setSecret(s);
    }
    let written: SarifWritten;
    try {
      written = writeSarif(
        inputs.sarifFile,
        sarifSource,
        {
          repositoryRoot: repoTop,
          provenance: provenanceFromEnv(env),
          category: inputs.category,
          times: runTimes(sarifSource),
        },
        // Never through a link the pull request planted, never outside the workspace or runner temp.
        (path, chunks) => writeOutputFile(path, chunks, outputRoots(root, env), true),
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ConfigurationError(`input sarif-file: cannot write ${toRel(root, inputs.sarifFile)} (${code})`);
    }

    if (written.omitted.size > 0) core.info(`podguard: ${sarifOmittedLine(written).replace(/\*\*/g, '')}`);
    if (inputs.annotations) emitAnnotations(platform, result, touched, repoPath);

    if (inputs.summary) {
      const server = env.GITHUB_SERVER_URL || 'https://github.com';
      const repo = env.GITHUB_REPOSITORY;
      const sha = payload.pull_request?.head?.sha ?? env.GITHUB_SHA;
      const link =
        repo && sha ? (file: string, line: number): string => `${server}/${repo}/blob/${sha}/${toUri(repoPath(file))}#L${line}` : undefined;
      let markdown = renderSummary(result, { failOn: inputs.failOn, link, touched, scope: result.redactor.redact(scope.description) });
      if (written.omitted.size > 0) markdown += `\n${sarifOmittedLine(written)}\n`;
      try {
        await core.summary.addRaw(markdown, true).write();
      } catch (err) {
        core.warning(`podguard could not write the job summary: ${(err as Error).message}`);
      }
    }

    const counts = countByLevel(result.findings);
    const files = Object.values(result.filesScanned).reduce((a, b) => a + b, 0);
    core.setOutput('sarif-file', inputs.sarifFile);
    core.setOutput('findings', counts.error + counts.warning + counts.note);
    core.setOutput('errors', counts.error);
    core.setOutput('warnings', counts.warning);
    core.setOutput('notes', counts.note);
    core.setOutput('files-scanned', files);

    const failed = result.findings.some((f) => gates(f, inputs.failOn));
    if (failed) {
      core.setFailed(result.redactor.redact(verdict(result, inputs.failOn).text));
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigurationError) {
      core.setFailed(`podguard: ${err.message}`);
      return 2;
    }
    const e = err as Error;
    core.debug(e.stack ?? String(e));
    core.setFailed(`podguard: internal error: ${e.message}${core.isDebug() ? '' : ' (re-run with debug logging for the stack trace)'}`);
    return 2;
  }
}

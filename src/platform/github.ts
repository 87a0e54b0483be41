/**
 * The GitHub Action adapter: reads the inputs through the shared validators, lists the change
 * (git, then the REST API, then everything) and maps the job's events to `@actions/core`
 * (log lines, annotations, the job summary, outputs) and its verdict to the step's result.
 * `@actions/core` is injected so tests can record calls.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { PR_CONFIG_MODES } from '../collect/base-config.js';
import type { PrConfigMode } from '../collect/base-config.js';
import { addedLinesFromPatch } from '../collect/changed.js';
import type { LineSpan } from '../collect/changed.js';
import { gitTopLevel } from '../collect/git.js';
import { MAX_CONFIG_BYTES, climbsOut, readContainedFile } from '../config/safe-read.js';
import { displayLevel, topBySeverity } from '../findings.js';
import { provenanceFromEnv } from '../report/provenance.js';
import { sarifCategory, toUri } from '../report/sarif.js';
import { outputRoots } from '../report/safe-write.js';
import type { Rule } from '../rule.js';
import { ConfigurationError } from '../types.js';
import type { Finding, Level } from '../types.js';
import { ruleDocUrl } from '../version.js';
import {
  configurationMessage,
  inPaths,
  isGlob,
  parseBool,
  parseFailOn,
  parseImagePatterns,
  parseKubernetesVersion,
  parseOneOf,
  parsePaths,
  parseThreads,
} from './inputs.js';
import { everything, gitChangeList, runJob } from './job.js';
import type { ChangeSource, ChangeStep, InputNames, JobInputs, JobPlatform, ScanReport, Scope } from './job.js';
import { safeCore } from './safe-core.js';
import type { ActionsCore, Annotation } from './safe-core.js';

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

/** The Action's names for the inputs the job speaks of. */
const NAMES: InputNames = {
  paths: 'paths',
  allowImages: 'allowed-images',
  allowEmpty: 'allow-empty',
  failOn: 'fail-on',
  prConfig: 'pr-config',
  sarifFile: 'sarif-file',
  config: 'config',
};

/** The `config` input: absolute, contained and readable; the default `.podguard.yml` may be missing. */
function configInput(raw: string, workspace: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const abs = resolve(workspace, value);
  if (!lstatSync(abs, { throwIfNoEntry: false })) {
    if (value === '.podguard.yml') return undefined;
    throw new ConfigurationError(`input config: ${value} does not exist in the workspace`, { input: 'config' });
  }
  try {
    readContainedFile(workspace, abs, { label: value, maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
  } catch (err) {
    throw new ConfigurationError(`input config: ${(err as Error).message}`, { input: 'config' });
  }
  return abs;
}

/** Reads and validates the inputs; throws ConfigurationError naming the input at fault. */
export function readInputs(core: ActionsCore, eventName: string, workspace: string): ActionInputs {
  const input = (name: string): string => core.getInput(name);
  const failOn = parseFailOn(input('fail-on'), 'input fail-on');
  const scanMode = parseOneOf(input('scan'), 'input scan', ['changed', 'all'] as const, PR_EVENTS.has(eventName) ? 'changed' : 'all');
  const allowedImages = parseImagePatterns(input('allowed-images'), 'input allowed-images');
  const target = parseKubernetesVersion(input('kubernetes-version'), 'input kubernetes-version');
  if (target?.warning) core.warning(target.warning);
  const threads = parseThreads(input('threads'), 'input threads');
  const paths = parsePaths(input('paths'), 'input paths', true);
  const config = configInput(input('config'), workspace);
  return {
    paths,
    config,
    scan: scanMode,
    allowedImages,
    kubernetesVersion: target?.version,
    threads,
    failOn,
    sarifFile: resolve(workspace, input('sarif-file').trim() || 'podguard.sarif'),
    category: sarifCategory(input('category'), 'input category'),
    annotations: parseBool(input('annotations'), 'input annotations', true),
    summary: parseBool(input('summary'), 'input summary', true),
    token: input('token').trim(),
    allowEmpty: parseBool(input('allow-empty'), 'input allow-empty', false),
    prConfig: parseOneOf(input('pr-config'), 'input pr-config', PR_CONFIG_MODES, 'base'),
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

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/** Where the event says the change starts: the pull request's or merge group's base, or the push's `before`. */
function baseOf(eventName: string, payload: Payload): { baseSha?: string; baseRef?: string } {
  const pr = payload.pull_request;
  if (pr) return { baseSha: pr.base?.sha, baseRef: pr.base?.ref };
  if (payload.merge_group) return { baseSha: payload.merge_group.base_sha, baseRef: payload.merge_group.base_ref };
  if (eventName === 'push' && payload.before && !/^0+$/.test(payload.before)) return { baseSha: payload.before };
  return {};
}

/** What the run reads besides the inputs: the roots, the event and its payload. */
interface Context {
  platform: GitHubPlatform;
  core: ActionsCore;
  inputs: ActionInputs;
  root: string;
  repoTop: string;
  eventName: string;
  payload: Payload;
}

/** Step one: git, against the event's base. */
function gitStep(ctx: Context, base: { baseSha?: string; baseRef?: string }): ChangeStep {
  const { core, payload, root, repoTop } = ctx;
  const pr = payload.pull_request;
  const label = pr ? 'this pull request' : 'this change';
  return async () => {
    try {
      const cs = await gitChangeList(root, { cwd: repoTop, ...base, prHeadSha: pr?.head?.sha, log: (m) => core.info(m) });
      if (pr && cs.base === cs.head) {
        // pull_request_target checks out the base branch by default: the PR's files are not here.
        const at = cs.head.slice(0, 7);
        core.warning(
          `podguard: the checked-out commit ${at} does not contain this pull request's changes, so nothing was scanned. On pull_request_target, check out github.event.pull_request.head.sha (and mind that it is untrusted code).`,
        );
        return {
          files: [],
          touched: new Map(),
          description: `Nothing was scanned: the checked-out commit ${at} does not contain this pull request's changes.`,
        };
      }
      const description = `Scanned the files ${label} added or changed (${cs.files.length} in the diff against ${cs.base.slice(0, 7)}).`;
      return { files: cs.files, touched: cs.touched, base: cs.base, description };
    } catch (err) {
      const reason = (err as Error).message;
      core.info(`podguard: git could not list the changed files: ${reason}`);
      return { reason };
    }
  };
}

/** Step two: the pull request's files through the REST API (pull requests only). */
function restStep(ctx: Context): ChangeStep {
  const { platform, core, inputs, payload, root, repoTop } = ctx;
  const pr = payload.pull_request;
  const [owner, repo] = (platform.env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '').split('/');
  return async ([gitReason]) => {
    if (!pr?.number || !owner || !repo) return undefined;
    try {
      if (!inputs.token) throw new Error('the token input is empty');
      const list = await platform.listPullFiles({ token: inputs.token, owner, repo, pullNumber: pr.number });
      const expected = pr.changed_files;
      if (list.length >= REST_FILE_LIMIT || (expected !== undefined && list.length < expected)) {
        core.notice(
          `podguard scanned every file: this pull request changes ${expected ?? 'more than ' + REST_FILE_LIMIT} files and the GitHub API lists only ${list.length}.`,
        );
        return everything(
          `Every file was scanned: the pull request is too large for the GitHub API to list its files (${list.length} of ${expected ?? '?'}).`,
        );
      }
      const touched = new Map<string, LineSpan[]>();
      for (const f of list)
        if (f.status !== 'removed') touched.set(toRel(root, resolve(repoTop, f.filename)), addedLinesFromPatch(f.patch));
      const files = [...touched.keys()];
      core.info(`podguard: listed ${files.length} changed files through the GitHub API instead.`);
      return {
        files,
        touched,
        // The base commit may not be fetched: its files then count as absent, which is the strict
        // side (default configuration, no baseline).
        ...(pr.base?.sha ? { base: pr.base.sha } : {}),
        description: `Scanned the files this pull request added or changed (${files.length}, listed by the GitHub API because git could not: ${gitReason}).`,
      };
    } catch (err) {
      return { reason: (err as Error).message };
    }
  };
}

/** What the scan covers: everything (scan: all, no base), or the change source's answer. */
function changeSource(ctx: Context): ChangeSource | Scope {
  const { core, inputs, eventName, payload } = ctx;
  if (inputs.scan === 'all') return everything(`Scanned every file under ${inputs.paths.join(', ')} (scan: all).`);
  const base = baseOf(eventName, payload);
  if (!base.baseSha && !base.baseRef) {
    return everything(`The ${eventName || 'current'} event has no base to compare with, so every file was scanned.`);
  }
  return {
    steps: [gitStep(ctx, base), restStep(ctx)],
    fallback: ([git, rest]) => {
      if (rest === undefined) {
        core.warning(`podguard scanned every file: git could not list the changed files (${git}).`);
        return everything(`Every file was scanned: git could not list the changed files (${git}).`);
      }
      core.warning(`podguard scanned every file: git (${git}) and the GitHub API (${rest}) could not list the changed files.`);
      return everything(`Every file was scanned: neither git (${git}) nor the GitHub API (${rest}) could list the changed files.`);
    },
  };
}

/** The files under `paths` (entries may be globs) among `candidates` (shared with the CLI). */
export { inPaths };

/** Annotations in the order GitHub should get them, within its per-level limits. */
export function annotationPlan(findings: Iterable<Finding>, touched: (f: Finding) => boolean): { shown: Finding[]; hidden: number } {
  // Keep one notice free for the "N more" line.
  const limit: Record<Level, number> = { error: ANNOTATION_LIMIT, warning: ANNOTATION_LIMIT, note: ANNOTATION_LIMIT - 1 };
  let visible = 0;
  const ofLevel = (level: Level): Generator<Finding> =>
    (function* () {
      for (const f of findings) if (!f.suppression && displayLevel(f) === level) yield f;
    })();
  for (const f of findings) if (!f.suppression) visible++;
  // bySeverity orders by level first: the most severe of each level, errors, then warnings, then notes.
  const shown = (['error', 'warning', 'note'] as const).flatMap((level) => topBySeverity(ofLevel(level), limit[level], touched));
  return { shown, hidden: visible - shown.length };
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
  core: ActionsCore,
  result: ScanReport,
  touched: (f: Finding) => boolean,
  repoPath: (file: string) => string,
): void {
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

/** Annotations and links are relative to the repository, which may sit below the workspace. */
function repoPathOf(root: string, repoTop: string): (file: string) => string {
  return (file) => {
    const rel = toRel(repoTop, resolve(root, file));
    return climbsOut(rel) ? file : rel;
  };
}

/** The job's events as `@actions/core` calls. */
function jobPlatform(ctx: Context): JobPlatform {
  const { core, inputs, platform, root, repoTop, payload } = ctx;
  const env = platform.env;
  const repoPath = repoPathOf(root, repoTop);
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  const sha = payload.pull_request?.head?.sha ?? env.GITHUB_SHA;
  return {
    info: (t) => core.info(t),
    notice: (t) => core.notice(t),
    debug: (t) => core.debug(t),
    secrets: (result) => result.redactor.secrets.forEach((s) => core.setSecret(s)),
    scope: (t) => core.info(t),
    text: {
      block: (t) => core.info(t),
      // The findings list and the fixes fold when long, as on Azure Pipelines.
      ...(core.startGroup && core.endGroup ? { group: (t: string) => core.startGroup!(t), endGroup: () => core.endGroup!() } : {}),
    },
    ...(inputs.annotations ? { annotate: (result, touched) => emitAnnotations(core, result, touched, repoPath) } : {}),
    ...(repo && sha ? { link: (file: string, line: number) => `${server}/${repo}/blob/${sha}/${toUri(repoPath(file))}#L${line}` } : {}),
    ...(inputs.summary
      ? {
          summary: async (markdown: string) => {
            try {
              await core.summary.addRaw(markdown, true).write();
            } catch (err) {
              core.warning(`podguard could not write the job summary: ${(err as Error).message}`);
            }
          },
        }
      : {}),
    outputs: (o) => {
      core.setOutput('sarif-file', o.sarifFile);
      core.setOutput('findings', o.findings);
      core.setOutput('errors', o.counts.error);
      core.setOutput('warnings', o.counts.warning);
      core.setOutput('notes', o.counts.note);
      core.setOutput('files-scanned', o.filesScanned);
    },
  };
}

/** The job's inputs from the Action's. */
function jobInputs(ctx: Context): JobInputs {
  const { inputs, root, repoTop, platform } = ctx;
  return {
    root,
    repoTop,
    paths: inputs.paths,
    configPath: inputs.config,
    allowedImages: inputs.allowedImages,
    kubernetesVersion: inputs.kubernetesVersion,
    threads: inputs.threads,
    failOn: inputs.failOn,
    allowEmpty: inputs.allowEmpty,
    prConfig: inputs.prConfig,
    tempDir: platform.env.RUNNER_TEMP || tmpdir(),
    sarif: {
      file: inputs.sarifFile,
      shown: toRel(root, inputs.sarifFile),
      // Never outside the workspace or runner temp.
      roots: outputRoots(root, platform.env),
      options: { repositoryRoot: repoTop, provenance: provenanceFromEnv(platform.env), category: inputs.category },
    },
    names: NAMES,
    ...(platform.rules ? { rules: platform.rules } : {}),
  };
}

/** actions/checkout with `path:` puts the repository below the workspace: find it from `paths`. */
async function repositoryTop(root: string, paths: readonly string[]): Promise<string> {
  let top = await gitTopLevel(root);
  for (const p of paths) {
    if (top) break;
    if (!isGlob(p)) top = await gitTopLevel(resolve(root, p));
  }
  return top ?? root;
}

/** Runs the action; returns the exit code (0 pass, 1 gate failed, 2 bad input or internal error). */
export async function runAction(platform: GitHubPlatform): Promise<number> {
  // Every line the action logs passes one writer that lets no scanned byte start a command.
  const core = safeCore(platform.core);
  platform = { ...platform, core };
  const { env } = platform;
  try {
    const root = resolve(env.GITHUB_WORKSPACE || process.cwd());
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const inputs = readInputs(core, eventName, root);
    const payload = readPayload(env.GITHUB_EVENT_PATH);
    const repoTop = await repositoryTop(root, inputs.paths);
    const ctx: Context = { platform, core, inputs, root, repoTop, eventName, payload };
    const verdict = await runJob(jobInputs(ctx), jobPlatform(ctx), changeSource(ctx));
    verdict.result.findings.dispose();
    if (!verdict.failed) return 0;
    core.setFailed(verdict.text);
    return 1;
  } catch (err) {
    if (err instanceof ConfigurationError) {
      core.setFailed(`podguard: ${configurationMessage(err)}`);
      return 2;
    }
    const e = err as Error;
    core.debug(e.stack ?? String(e));
    core.setFailed(`podguard: internal error: ${e.message}${core.isDebug() ? '' : ' (re-run with debug logging for the stack trace)'}`);
    return 2;
  }
}

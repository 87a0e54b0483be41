/** The CLI adapter: argument parsing, help, the scan's reports on stdout and in files, exit codes. */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { climbsOut } from '../config/safe-read.js';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { changedSince, gitTopLevel } from '../collect/git.js';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { starterConfig } from '../config/init.js';
import { gates, someFinding } from '../findings.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rule.js';
import { provenanceFromEnv } from '../report/provenance.js';
import { outputRoots, writeOutputFile } from '../report/safe-write.js';
import type { TextSink } from '../report/text.js';
import { safeErrorText } from '../redact.js';
import { safeJsonLines, safeLines } from '../safe-text.js';
import { isGlob, parseFailOn, parseKubernetesVersion, parseOneOf, parseThreads } from './inputs.js';
import { everything, runScan, selectFiles } from './job.js';
import type { InputNames, ScanInput, ScanReport } from './job.js';
import {
  baselineOf,
  explainRule,
  gitlabReport,
  jsonReport,
  junitReport,
  omittedText,
  sarifFile,
  sarifStream,
  scanStats,
  textLines,
  useColor,
} from './sinks.js';
import type { SarifOptions, SarifWritten } from './sinks.js';
import { didYouMean } from '../suggest.js';
import { runPolicyCommand } from './policy-test.js';
import { ConfigurationError } from '../types.js';
import type { FailOn } from '../types.js';
import { VERSION, ruleDocUrl } from '../version.js';

/** What the CLI talks to (injected in tests). */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (colours). */
  isTTY: boolean;
  /** Reads all of standard input (for `podguard scan -`). */
  readStdin?: () => Promise<string>;
}

const HEAD = `podguard ${VERSION}: stops insecure container configuration before it merges`;

/** Usage text. */
export const USAGE = `${HEAD}

Usage:
  podguard scan [PATH|GLOB...] [options]   scan files, directories or globs (default "."); "-" reads standard input
  podguard rules [RULE-ID] [--format F]    list every rule, or explain one
  podguard init [FILE] [--force]           write a commented starter .podguard.yml
  podguard policy test POLICIES FIXTURES   run admission policies against fixture manifests
  podguard version                         print the version (also --version)
  podguard help [COMMAND]                  this text, or one command's options (also COMMAND --help)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.
`;

const SCAN_HELP = `${HEAD}

Usage: podguard scan [PATH|GLOB...] [options]

Scans files, directories and globs (quote them: 'k8s/**/*.yaml'), default ".". "-" reads a
manifest stream from standard input (helm template ... | podguard scan -), honouring # Source: comments.

Output:
  --format FORMAT        text (default), json, sarif, junit or gitlab, written to stdout
  --sarif FILE           also write SARIF 2.1.0 to FILE
  --junit FILE           also write JUnit XML to FILE (Azure PublishTestResults, GitLab, Jenkins)
  --gitlab FILE          also write a GitLab Code Quality report to FILE
  --explain              after the findings, why each rule matters and how to fix it
  --show-baselined       list findings known from the baseline (hidden by default, counted)
  --no-color             plain text (also NO_COLOR=1; FORCE_COLOR=1 forces colours)

Policy:
  --config FILE          configuration file (default: .podguard.yml in the scanned directory or root)
  --fail-on LEVEL        error (default), warning, note or never: exit 1 at or above it
  --allow-image PATTERN  approved image pattern, repeatable (e.g. 'mcr.microsoft.com/**')
  --kubernetes-version V target Kubernetes version for removed-API checks (1.34 or 1.34.2)
  --baseline FILE        known findings (default: baseline in the configuration): never gating
  --write-baseline FILE  record every current finding in FILE (sorted JSON), then report them as baselined

Scope and running:
  --changed-since REF    only files changed between REF and the working tree (git)
  --stdin-name NAME      with "scan -": the name findings on standard input carry (default: stdin)
  --threads N            threads to check files on (default: one per 10,000 files, at most one per CPU and 4; 1 = no workers)
  --allow-empty          pass when a named path holds no file podguard checks (default: exit 2)
  --debug                stack traces for internal errors; how the scan ran (files, time, threads) on stderr
`;

const RULES_HELP = `${HEAD}

Usage: podguard rules [RULE-ID] [--format text|json|markdown]

Without a rule id: every rule with its default level and description.
With one: the rule's title, why it matters, how to fix it and its documentation link.

  --format FORMAT   text (default), json or markdown
`;

const INIT_HELP = `${HEAD}

Usage: podguard init [FILE] [--force]

Writes a commented starter configuration (default .podguard.yml) listing every rule with its
default level. Never overwrites an existing file without --force.

  --force   overwrite FILE if it exists
`;

const VERSION_HELP = `${HEAD}

Usage: podguard version   (or podguard --version)
`;

type Options = NonNullable<ParseArgsConfig['options']>;

const SCAN_OPTIONS = {
  config: { type: 'string' },
  sarif: { type: 'string' },
  junit: { type: 'string' },
  gitlab: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'allow-image': { type: 'string', multiple: true },
  'changed-since': { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  threads: { type: 'string' },
  'stdin-name': { type: 'string' },
  'allow-empty': { type: 'boolean' },
  explain: { type: 'boolean' },
  'show-baselined': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const RULES_OPTIONS = { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const satisfies Options;
const INIT_OPTIONS = { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const satisfies Options;
const HELP_ONLY = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

const POLICY_HELP = `${HEAD}

Usage: podguard policy test POLICIES FIXTURES

Evaluates the ValidatingAdmissionPolicy objects (and bindings, params) under POLICIES against the
manifests under FIXTURES, offline. Each fixture object states what it expects in the annotation
podguard.dev/expect: allow, or deny|warn|audit[:policy-name],... Prints one line per mismatch and
"N passed, N failed"; exits 1 on a mismatch, 2 on a usage error. See docs/policies.md.
`;

const COMMANDS: Record<string, { help: string; options: Options }> = {
  scan: { help: SCAN_HELP, options: SCAN_OPTIONS },
  rules: { help: RULES_HELP, options: RULES_OPTIONS },
  init: { help: INIT_HELP, options: INIT_OPTIONS },
  policy: { help: POLICY_HELP, options: HELP_ONLY },
  version: { help: VERSION_HELP, options: HELP_ONLY },
};

const FORMATS = ['text', 'json', 'sarif', 'junit', 'gitlab'] as const;
const RULE_FORMATS = ['text', 'json', 'markdown'] as const;

/**
 * Rejects an unknown flag with the nearest known one. node:util's own error names the flag but
 * suggests nothing, and says "argument" where users think "option".
 */
function checkFlags(command: string, args: readonly string[], options: Options): void {
  const known = Object.keys(options).map((k) => `--${k}`);
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : [])));
  for (const arg of args) {
    if (arg === '--') return;
    if (!arg.startsWith('-') || arg === '-') continue;
    const flag = arg.split('=')[0]!;
    if (known.includes(flag) || shorts.has(flag)) continue;
    throw new ConfigurationError(
      `unknown option ${flag.slice(0, 60)} for podguard ${command}${didYouMean(flag, known)}; see podguard ${command} --help`,
      { input: flag.slice(0, 60) },
    );
  }
}

/** Writes a file the user named; failures are their mistake (exit 2), not an internal error. */
function writeUserFile(path: string, name: string, text: string | Iterable<string>, roots: readonly string[], input: string): void {
  try {
    // Never through a link a pull request planted, never outside the working directory or temp.
    writeOutputFile(path, text, roots);
  } catch (err) {
    throw new ConfigurationError(`cannot write ${name} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { input });
  }
}

function rulesListing(): string {
  const width = Math.max(30, ...ALL_RULES.map((r) => r.meta.id.length + 1));
  const rows = ALL_RULES.map((r) => {
    const note = r.meta.silentUnless ? ` (${r.meta.silentUnless})` : '';
    return `${r.meta.id.padEnd(width)} ${r.meta.level.padEnd(8)} ${r.meta.description}${note}`;
  });
  return `${'RULE'.padEnd(width)} ${'LEVEL'.padEnd(8)} DESCRIPTION\n${rows.join('\n')}\n`;
}

/** A rule as JSON (`podguard rules --format json`). */
function ruleJson(r: Rule): Record<string, unknown> {
  const m = r.meta;
  return {
    id: m.id,
    title: m.title,
    level: m.level,
    ...(m.system ? {} : { securitySeverity: m.securitySeverity }),
    precision: m.precision,
    description: m.description,
    why: m.why,
    fix: m.fix,
    tags: m.tags,
    kinds: m.kinds,
    ...(m.profile ? { profile: m.profile } : {}),
    ...(m.silentUnless ? { silentUnless: m.silentUnless } : {}),
    docs: ruleDocUrl(m.id),
  };
}

/** A Markdown table cell: pipes and newlines would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function runRules(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: RULES_OPTIONS });
  if (values.help) {
    io.stdout(RULES_HELP);
    return 0;
  }
  const format = parseOneOf(values.format, '--format', RULE_FORMATS, 'text');
  if (positionals.length > 1) throw new ConfigurationError('rules takes at most one rule id');
  let rules: readonly Rule[] = ALL_RULES;
  if (positionals.length === 1) {
    const id = positionals[0]!;
    const rule = ALL_RULES.find((r) => r.meta.id === id);
    if (!rule) {
      const ids = ALL_RULES.map((r) => r.meta.id);
      throw new ConfigurationError(`no rule ${id.slice(0, 60)}${didYouMean(id, ids)}; podguard rules lists every rule`);
    }
    rules = [rule];
  }
  if (format === 'json') {
    const doc = positionals.length === 1 ? ruleJson(rules[0]!) : rules.map(ruleJson);
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (format === 'markdown') {
    if (positionals.length === 1) {
      const m = rules[0]!.meta;
      io.stdout(
        `# ${m.id}: ${m.title}\n\nLevel: ${m.level}\n\n${m.description}\n\n## Why it matters\n\n${m.why}\n\n## How to fix\n\n${m.fix}\n`,
      );
    } else {
      const rows = rules.map(
        (r) => `| [\`${r.meta.id}\`](${ruleDocUrl(r.meta.id)}) | ${r.meta.level} | ${cell(r.meta.title)} | ${cell(r.meta.description)} |`,
      );
      io.stdout(`| Rule | Level | Title | Description |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`);
    }
  } else if (positionals.length === 1) {
    const lines: string[] = [];
    explainRule(rules[0]!, (l) => void lines.push(l));
    io.stdout(`${lines.join('\n')}\n`);
  } else io.stdout(rulesListing());
  return 0;
}

/** The CI log's folding markers, when the CLI runs in a CI system that has them. */
function ciFolding(env: CliIO['env']): ((out: (t: string) => void) => Pick<TextSink, 'group' | 'endGroup'>) | undefined {
  if (env.GITHUB_ACTIONS === 'true') return (out) => ({ group: (t) => out(`::group::${t}\n`), endGroup: () => out('::endgroup::\n') });
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') {
    return (out) => ({ group: (t) => out(`##[group]${t}\n`), endGroup: () => out('##[endgroup]\n') });
  }
  return undefined;
}

/** The git top level holding `cwd` (through symbolic links), or `cwd` outside a repository. */
async function repositoryRoot(cwd: string): Promise<string> {
  const top = await gitTopLevel(cwd);
  if (!top) return cwd;
  let real: string;
  try {
    real = realpathSync(cwd);
  } catch {
    return cwd;
  }
  const up = relative(real, top);
  if (up !== '' && !up.split(/[\\/]/).every((s) => s === '..')) return cwd;
  // Keep the caller's spelling of the path (a symlinked checkout stays symlinked).
  return isAbsolute(up) ? cwd : resolve(cwd, up);
}

/** Where a scan's machine-readable output goes: JSON made safe for logs, and podguard's own raw commands. */
interface ScanOut {
  json: (text: string) => void;
  raw: (text: string) => void;
}

type ScanValues = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof SCAN_OPTIONS }>
>['values'];

/** Where a CLI scan runs: the repository root, the caller's directory, and where report files may go. */
interface Place {
  root: string;
  cwd: string;
  roots: readonly string[];
  /** A path the user typed, from the current directory. */
  fromCwd: (p: string) => string;
  /** Relative to the root when inside it, so messages name the file as the user knows it. */
  underRoot: (abs: string) => string;
}

async function placeOf(io: CliIO): Promise<Place> {
  // Paths are relative to the repository root (git top level) whatever the current directory,
  // so a scan from a subfolder writes the same finding paths, fingerprints and baselines.
  const cwd = io.cwd;
  const root = await repositoryRoot(cwd);
  return {
    root,
    cwd,
    // Report files go inside the repository, the current directory or the runner's temp folders.
    roots: [...outputRoots(root, io.env), cwd],
    fromCwd: (p) => resolve(cwd, p),
    underRoot: (abs) => {
      const rel = relative(root, abs);
      return rel && !climbsOut(rel) ? rel : abs;
    },
  };
}

/** The change source of the CLI: `--changed-since REF` (git), or everything. */
async function changedFilesOf(ref: string | undefined, root: string): Promise<string[] | undefined> {
  if (ref === undefined) return undefined;
  try {
    return await changedSince(ref, root);
  } catch (err) {
    throw new ConfigurationError((err as Error).message, { input: '--changed-since' });
  }
}

/** Globs are written from the current directory and select among every file a scan of the root collects. */
async function selectGlobs(
  place: Place,
  paths: string[],
  changed: string[] | undefined,
): Promise<{ paths: string[]; changedFiles?: string[] }> {
  const { root, cwd } = place;
  if (!paths.some(isGlob)) return { paths, changedFiles: changed };
  const prefix = relative(root, cwd).split('\\').join('/');
  const rooted = prefix ? paths.map((p) => (isAbsolute(p) ? p : `${prefix}/${p}`)) : paths;
  const selected = (await selectFiles({ root, paths: rooted, allowEmpty: true, names: CLI_NAMES }, everything(''), false)).changedFiles!;
  const only = changed ? new Set(changed) : undefined;
  return { paths: ['.'], changedFiles: only ? selected.filter((f) => only.has(f)) : selected };
}

/** The CLI's names for the inputs the job's helpers speak of. */
const CLI_NAMES: InputNames = {
  paths: 'paths',
  allowImages: '--allow-image',
  allowEmpty: '--allow-empty',
  failOn: '--fail-on',
  prConfig: 'pr-config',
  sarifFile: '--sarif',
};

/** The scan's engine input from the flags. */
async function scanInputOf(values: ScanValues, positionals: string[], io: CliIO, place: Place): Promise<ScanInput> {
  const target = parseKubernetesVersion(values['kubernetes-version'], '--kubernetes-version');
  if (target?.warning) io.stderr(`podguard: warning: ${target.warning}\n`);
  const threads = parseThreads(values.threads, '--threads');
  const changed = await changedFilesOf(values['changed-since'], place.root);
  const stdin = await readStdinInput(positionals, values['stdin-name'], io);
  const files = stdin
    ? { paths: ['.'], changedFiles: changed }
    : await selectGlobs(place, positionals.length ? positionals : ['.'], changed);
  files.paths = files.paths.map((p) => (isGlob(p) ? p : relative(place.root, place.fromCwd(p)) || '.'));
  const baseline = values['write-baseline'] ?? values.baseline;
  return {
    root: place.root,
    ...files,
    ...(stdin ? { stdin } : {}),
    configPath: values.config === undefined ? undefined : place.underRoot(place.fromCwd(values.config)),
    allowImages: values['allow-image'] ?? [],
    requireChecked: !values['allow-empty'],
    ...(threads !== undefined ? { threads } : {}),
    // A baseline is being (re)written from scratch: applying the old one would change nothing.
    ...(baseline === undefined
      ? {}
      : { baseline: values['write-baseline'] !== undefined ? false : place.underRoot(place.fromCwd(baseline)) }),
    ...(target !== undefined ? { adjust: (s) => void (s.kubernetesVersion = target.version) } : {}),
  };
}

/** `--write-baseline FILE`: records every current finding; the result then reports them as baselined. */
function writeBaseline(values: ScanValues, positionals: string[], io: CliIO, place: Place, result: ScanReport): ScanReport {
  const writeTo = values['write-baseline'];
  if (writeTo === undefined) return result;
  if (values['changed-since'] !== undefined || positionals.some(isGlob)) {
    throw new ConfigurationError('--write-baseline needs a full scan: drop --changed-since and globs', { input: '--write-baseline' });
  }
  const { text, fingerprints } = baselineOf(result);
  writeUserFile(place.fromCwd(writeTo), writeTo, text, place.roots, '--write-baseline');
  io.stderr(`podguard: wrote ${fingerprints.size} finding${fingerprints.size === 1 ? '' : 's'} to ${writeTo}\n`);
  const { findings } = result;
  return {
    ...result,
    findings: {
      length: findings.length,
      *[Symbol.iterator]() {
        for (const f of findings) yield fingerprints.has(f.fingerprint) ? { ...f, baselined: true } : f;
      },
    },
  };
}

/** The report files the flags name: SARIF, JUnit, GitLab. */
function writeReportFiles(
  values: ScanValues,
  place: Place,
  result: ScanReport,
  sarif: SarifOptions,
  failOn: FailOn,
  left: (w: SarifWritten) => void,
): void {
  if (values.sarif) {
    const name = values.sarif;
    try {
      left(sarifFile(place.fromCwd(name), result, sarif, (path, chunks) => writeOutputFile(path, chunks, place.roots, true)));
    } catch (err) {
      throw new ConfigurationError(`cannot write ${name} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
        input: '--sarif',
      });
    }
  }
  if (values.junit) writeUserFile(place.fromCwd(values.junit), values.junit, junitReport(result, failOn), place.roots, '--junit');
  if (values.gitlab) writeUserFile(place.fromCwd(values.gitlab), values.gitlab, gitlabReport(result), place.roots, '--gitlab');
}

/** The report on stdout in `--format`. */
function writeStdout(
  format: (typeof FORMATS)[number],
  values: ScanValues,
  io: CliIO,
  out: ScanOut,
  result: ScanReport,
  sarif: SarifOptions,
  failOn: FailOn,
  left: (w: SarifWritten) => void,
): void {
  if (format === 'json') for (const c of jsonReport(result)) out.json(c);
  else if (format === 'sarif') {
    const stream = sarifStream(result, sarif);
    left(stream.written);
    for (const c of stream.chunks) out.json(c);
  } else if (format === 'junit') for (const c of junitReport(result, failOn)) io.stdout(c);
  else if (format === 'gitlab') for (const c of gitlabReport(result)) out.json(c);
  else {
    const color = useColor(io.env, io.isTTY, values['no-color'] === true);
    // Fold markers are podguard's own commands: they go out unneutralised, the lines between them do not.
    const folding = ciFolding(io.env)?.(out.raw);
    textLines(
      result,
      { color, explain: values.explain === true, showBaselined: values['show-baselined'] === true },
      { line: (t) => io.stdout(`${t}\n`), ...folding },
    );
  }
}

async function runScanCommand(args: string[], io: CliIO, debug: boolean, out: ScanOut): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: SCAN_OPTIONS });
  if (values.help) {
    io.stdout(SCAN_HELP);
    return 0;
  }
  const format = parseOneOf(values.format, '--format', FORMATS, 'text');
  const failOn = parseFailOn(values['fail-on'], '--fail-on');
  const place = await placeOf(io);
  const input = await scanInputOf(values, positionals, io, place);
  const scanned = await runScan(input);
  try {
    return writeReports(values, positionals, { io, place, out }, writeBaseline(values, positionals, io, place, scanned), {
      debug,
      format,
      failOn,
      changed: input.changedFiles !== undefined,
    });
  } finally {
    scanned.findings.dispose();
  }
}

/** Writes the reports the flags ask for; returns the exit code (1 when a finding gates). */
function writeReports(
  values: ScanValues,
  positionals: string[],
  to: { io: CliIO; place: Place; out: ScanOut },
  result: ScanReport,
  how: { debug: boolean; format: (typeof FORMATS)[number]; failOn: FailOn; changed: boolean },
): number {
  const { io, place, out } = to;
  const { format, failOn } = how;
  if (how.debug) io.stderr(`${scanStats(result)}\n`);
  // Reports are written in pieces: one string of a large scan's report would take more memory
  // than the findings themselves.
  const sarif: SarifOptions = {
    repositoryRoot: place.root,
    provenance: provenanceFromEnv(io.env),
    // A changed-files SARIF is no full state of the repository: its own category keeps code
    // scanning from closing the alerts of the files it did not scan.
    ...(how.changed ? { category: 'podguard/changed-files' } : {}),
  };
  const left = (w: SarifWritten): void => {
    if (w.omitted.size > 0) {
      io.stderr(
        `podguard: the SARIF output leaves out ${omittedText(w.omitted)} lower-priority results (GitHub's upload limits); JSON has every finding\n`,
      );
    }
  };
  writeReportFiles(values, place, result, sarif, failOn, left);
  writeStdout(format, values, io, out, result, sarif, failOn, left);
  return someFinding(result.findings, (f) => gates(f, failOn)) ? 1 : 0;
}

/** `scan -`: a manifest stream on standard input (e.g. `helm template ... | podguard scan -`). */
async function readStdinInput(
  positionals: string[],
  name: string | undefined,
  io: CliIO,
): Promise<{ text: string; name: string } | undefined> {
  if (!positionals.includes('-')) {
    if (name !== undefined) throw new ConfigurationError('--stdin-name goes with "-" (scan standard input)', { input: '--stdin-name' });
    return undefined;
  }
  if (positionals.length > 1) throw new ConfigurationError('"-" (standard input) cannot be combined with other paths');
  if (!io.readStdin) throw new ConfigurationError('standard input cannot be read here');
  const label = name ?? 'stdin';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/^[^\0-\x1f\x7f]{1,200}$/.test(label) || label.startsWith('/') || label.split('/').includes('..'))
    throw new ConfigurationError('--stdin-name must be a relative name without control characters or ".." (e.g. rendered/web.yaml)', {
      input: '--stdin-name',
    });
  return { text: await io.readStdin(), name: label };
}

function runInit(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: INIT_OPTIONS });
  if (values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new ConfigurationError('init takes at most one file name');
  const name = positionals[0] ?? DEFAULT_CONFIG_FILE;
  const path = resolve(io.cwd, name);
  if (existsSync(path) && !values.force)
    throw new ConfigurationError(`${name} already exists; use --force to overwrite it`, { input: 'FILE' });
  writeUserFile(path, name, starterConfig(ALL_RULES), outputRoots(io.cwd, io.env), 'FILE');
  io.stdout(`podguard: wrote ${name} (every rule listed with its default level; edit and commit it)\n`);
  return 0;
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], rawIo: CliIO): Promise<number> {
  // One line writer per stream: no scanned byte may start a workflow or logging command line.
  const io: CliIO = { ...rawIo, stdout: (t) => rawIo.stdout(safeLines(t)), stderr: (t) => rawIo.stderr(safeLines(t)) };
  const jsonOut = (t: string): void => rawIo.stdout(safeJsonLines(t));
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug') || io.env.PODGUARD_DEBUG === '1';
  const args = rest.filter((a) => a !== '--debug');
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? args[0] : undefined;
      if (topic !== undefined && !COMMANDS[topic]) {
        throw new ConfigurationError(`no command ${topic.slice(0, 60)}${didYouMean(topic, Object.keys(COMMANDS))}; see podguard --help`);
      }
      io.stdout(topic ? COMMANDS[topic]!.help : USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      if (command === 'version') {
        checkFlags('version', args, HELP_ONLY);
        if (args.includes('--help') || args.includes('-h')) {
          io.stdout(VERSION_HELP);
          return 0;
        }
      }
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const spec = COMMANDS[command];
    if (!spec) {
      const hint = didYouMean(command, Object.keys(COMMANDS));
      const what = command.startsWith('-') ? 'option' : 'command';
      throw new ConfigurationError(
        `unknown ${what} ${command.slice(0, 60)}${hint} (expected scan, rules, init, policy or version; see podguard --help)`,
      );
    }
    checkFlags(command, args, spec.options);
    if (command === 'scan') return await runScanCommand(args, io, debug, { json: jsonOut, raw: rawIo.stdout });
    if (command === 'rules') return runRules(args, io);
    if (command === 'policy') {
      if (args.includes('--help') || args.includes('-h')) {
        io.stdout(POLICY_HELP);
        return 0;
      }
      return await runPolicyCommand(args, io.cwd, io.stdout);
    }
    return runInit(args, io);
  } catch (err) {
    if (err instanceof ConfigurationError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`podguard: ${(err as Error).message}\n`);
      return 2;
    }
    // Error texts may quote file content; only the sanitized message and the stack frames are printed.
    const frames = ((err as Error).stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    io.stderr(
      `podguard: internal error: ${safeErrorText(err)}\n${debug ? `${frames.join('\n')}\n` : 'Run again with --debug for the stack trace.\n'}`,
    );
    return 2;
  }
}

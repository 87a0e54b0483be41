/** The CLI face: argument parsing, output to stdout, exit codes. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gates, scan } from '../engine.js';
import type { ScanResult } from '../engine.js';
import { changedSince } from '../collect/git.js';
import { baselineEntries, baselineText } from '../baseline/baseline.js';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { starterConfig } from '../config/init.js';
import { ALL_RULES } from '../rules/index.js';
import { sarifChunks } from '../report/sarif.js';
import { jsonChunks } from '../report/json.js';
import { coalesce } from '../report/stream.js';
import { outputRoots, writeOutputFile } from '../report/safe-write.js';
import { scanStats, toText } from '../report/text.js';
import { safeErrorText } from '../report/redact.js';
import { safeJsonLines, safeLines } from '../report/safe-text.js';
import { parseThreads } from './options.js';
import { ConfigurationError } from '../types.js';
import type { Level } from '../types.js';
import { VERSION } from '../version.js';

/** What the CLI talks to (injected in tests). */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (colours). */
  isTTY: boolean;
}

/** Usage text. */
export const USAGE = `podguard ${VERSION}: stops insecure container configuration before it merges

Usage:
  podguard scan [PATH...] [options]   scan files or directories (default ".")
  podguard rules                      list every rule: id, default level, description
  podguard init [FILE] [--force]      write a commented starter .podguard.yml (never overwrites without --force)
  podguard --version | --help

Scan options:
  --config FILE          configuration file (default: .podguard.yml in the scanned directory or root)
  --sarif FILE           also write SARIF 2.1.0 to FILE
  --format FORMAT        text (default), json or sarif, written to stdout
  --fail-on LEVEL        error (default), warning, note or never: exit 1 at or above it
  --allow-image PATTERN  approved image pattern, repeatable (e.g. 'mcr.microsoft.com/**')
  --changed-since REF    only files changed between REF and the working tree (git)
  --baseline FILE        known findings (default: baseline in the configuration): reported as notes, never gating
  --write-baseline FILE  record every current finding in FILE (sorted JSON), then report them as baselined
  --kubernetes-version V target Kubernetes version for removed-API checks (e.g. 1.34)
  --threads N            threads to check files on (default: one per CPU up to 4, for scans of 5,000+ files; 1 = no workers)
  --allow-empty          pass when a named path holds no file podguard checks (default: exit 2)
  --debug                stack traces for internal errors; how the scan ran (files, time, threads) on stderr
  --no-color             plain text output

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.
`;

const FAIL_ON = ['error', 'warning', 'note', 'never'] as const;
const FORMATS = ['text', 'json', 'sarif'] as const;
/** Same shape as the configuration schema's kubernetesVersion. */
const KUBERNETES_VERSION = /^1\.\d+$/;

/** Writes a file the user named; failures are their mistake (exit 2), not an internal error. */
function writeUserFile(path: string, name: string, text: string | Iterable<string>, roots: readonly string[]): void {
  try {
    // Never through a link a pull request planted, never outside the working directory or temp.
    writeOutputFile(path, text, roots);
  } catch (err) {
    throw new ConfigurationError(`cannot write ${name} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function rulesListing(): string {
  const width = Math.max(30, ...ALL_RULES.map((r) => r.meta.id.length + 1));
  const rows = ALL_RULES.map((r) => {
    const note = r.meta.silentUnless ? ` (${r.meta.silentUnless})` : '';
    return `${r.meta.id.padEnd(width)} ${r.meta.level.padEnd(8)} ${r.meta.description}${note}`;
  });
  return `${'RULE'.padEnd(width)} ${'LEVEL'.padEnd(8)} DESCRIPTION\n${rows.join('\n')}\n`;
}

async function runScan(args: string[], io: CliIO, debug: boolean, jsonOut: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      sarif: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      'allow-image': { type: 'string', multiple: true },
      'changed-since': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'kubernetes-version': { type: 'string' },
      threads: { type: 'string' },
      'allow-empty': { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = oneOf('--format', values.format, FORMATS, 'text');
  const failOn = oneOf('--fail-on', values['fail-on'], FAIL_ON, 'error') as Level | 'never';
  const root = io.cwd;
  const k8sVersion = values['kubernetes-version'];
  if (k8sVersion !== undefined && !KUBERNETES_VERSION.test(k8sVersion)) {
    throw new ConfigurationError(`--kubernetes-version must be a minor version such as 1.34 (got "${k8sVersion}")`);
  }
  const threads = parseThreads(values.threads, '--threads');
  let changedFiles: string[] | undefined;
  if (values['changed-since'] !== undefined) {
    try {
      changedFiles = await changedSince(values['changed-since'], root);
    } catch (err) {
      throw new ConfigurationError((err as Error).message);
    }
  }
  const result: ScanResult = await scan({
    root,
    paths: positionals.length ? positionals : ['.'],
    configPath: values.config,
    allowImages: values['allow-image'] ?? [],
    changedFiles,
    requireChecked: !values['allow-empty'],
    ...(threads !== undefined ? { threads } : {}),
    // A baseline is being (re)written from scratch: applying the old one would change nothing.
    ...(values['write-baseline'] !== undefined
      ? { baseline: false as const }
      : values.baseline !== undefined
        ? { baseline: values.baseline }
        : {}),
    ...(k8sVersion !== undefined ? { adjust: (s) => void (s.kubernetesVersion = k8sVersion) } : {}),
  });
  if (debug) io.stderr(`${scanStats(result)}\n`);
  const writeTo = values['write-baseline'];
  if (writeTo !== undefined) {
    if (changedFiles) throw new ConfigurationError('--write-baseline needs a full scan: drop --changed-since');
    writeUserFile(
      resolve(root, writeTo),
      writeTo,
      baselineText(result.findings, (t) => result.redactor.redact(t)),
      outputRoots(root, io.env),
    );
    const written = new Set(baselineEntries(result.findings).map((e) => e.fingerprint));
    for (const f of result.findings) if (written.has(f.fingerprint)) f.baselined = true;
    io.stderr(`podguard: wrote ${written.size} finding${written.size === 1 ? '' : 's'} to ${writeTo}\n`);
  }
  // SARIF and JSON are written in pieces: one string of a large scan's report would take more
  // memory than the findings themselves.
  if (values.sarif) writeUserFile(resolve(root, values.sarif), values.sarif, sarifChunks(result), outputRoots(root, io.env));
  const color = io.isTTY && !values['no-color'] && io.env.NO_COLOR === undefined;
  if (format === 'json') for (const c of coalesce(jsonChunks(result))) jsonOut(c);
  else if (format === 'sarif') for (const c of coalesce(sarifChunks(result))) jsonOut(c);
  else io.stdout(toText(result, { color }));
  return result.findings.some((f) => gates(f, failOn)) ? 1 : 0;
}

function runInit(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { force: { type: 'boolean' } } });
  if (positionals.length > 1) throw new ConfigurationError('init takes at most one file name');
  const name = positionals[0] ?? DEFAULT_CONFIG_FILE;
  const path = resolve(io.cwd, name);
  if (existsSync(path) && !values.force) throw new ConfigurationError(`${name} already exists; use --force to overwrite it`);
  writeUserFile(path, name, starterConfig(ALL_RULES), outputRoots(io.cwd, io.env));
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
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'rules') {
      io.stdout(rulesListing());
      return 0;
    }
    if (command === 'scan') return await runScan(args, io, debug, jsonOut);
    if (command === 'init') return runInit(args, io);
    throw new ConfigurationError(`unknown command "${command}" (expected scan, rules or init; see podguard --help)`);
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

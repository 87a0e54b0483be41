/**
 * What a scan's input asks for, checked before any work: scopes inside the repository, the
 * settings (configuration file, CI inputs), admission policies, the baseline and today's date.
 * User mistakes throw ConfigurationError naming the input at fault.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readBaseline } from '../baseline/baseline.js';
import { DEFAULT_CONFIG_FILE, loadSettings, settingsFromObject } from '../config/load.js';
import { validatePattern } from '../config/patterns.js';
import { isInside } from '../config/safe-read.js';
import type { Settings } from '../config/settings.js';
import { isCalendarDate } from '../config/ignore.js';
import { loadPolicies } from '../policy/load.js';
import type { PolicySet } from '../policy/load.js';
import { policyRules } from '../policy/rules.js';
import type { Rule } from '../rule.js';
import { ALL_RULES } from '../rules/index.js';
import { safeData } from '../safe-text.js';
import { ConfigurationError, FILE_KINDS } from '../types.js';
import type { FileKind } from '../types.js';
import type { ScanInput } from './scan-types.js';

/** A scan's input, checked and resolved. */
export interface Job {
  /** The repository root (absolute). */
  root: string;
  /** Scopes relative to the root (`.` when none were named). */
  paths: readonly string[];
  settings: Settings;
  /** What the user should know about how the scan was configured. */
  notices: string[];
  /** The registry of this scan: the given or built-in rules, and the admission policies' rules. */
  rules: readonly Rule[];
  policies?: PolicySet;
  /** The baseline to apply: its label (root-relative) and the fingerprints it knows. */
  baseline?: { label: string; fingerprints: Set<string> };
  /** Today as `YYYY-MM-DD` (UTC), for suppression expiry. */
  today: string;
}

/** Today as `YYYY-MM-DD` in UTC. */
function isoDay(today: string | Date | undefined): string {
  if (typeof today === 'string') {
    if (!isCalendarDate(today)) throw new ConfigurationError(`today must be YYYY-MM-DD (got "${today}")`, { input: 'today' });
    return today;
  }
  return (today ?? new Date()).toISOString().slice(0, 10);
}

function realpathOr(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** True when something (a dangling link too) is at `p`; false for ENOENT and ENOTDIR. */
function exists(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Every scope must stay in the repository, by its real path: a directory link in a pull request
 * (`k8s -> /etc`) or `../..` would otherwise read and echo files of the runner.
 */
function checkScopes(root: string, paths: readonly string[]): void {
  const realRoot = realpathOr(root);
  for (const p of paths) {
    const abs = resolve(root, p);
    if (!isInside(root, abs) && !isInside(realRoot, abs))
      throw new ConfigurationError(`path outside the repository: ${safeData(p)}`, { input: 'paths' });
    const real = realpathOr(abs);
    if (!isInside(realRoot, real))
      throw new ConfigurationError(`path outside the repository: ${safeData(p)} is a symbolic link out of it`, { input: 'paths' });
  }
}

/** The error for a scope without a checked file (platforms name their own paths input for `paths`). */
export function emptyScope(p: string): ConfigurationError {
  return new ConfigurationError(
    `path checked nothing: ${safeData(p)} holds no Kubernetes, Dockerfile, compose or ACI file podguard checks (allow an empty scan with allow-empty / --allow-empty)`,
    { input: 'paths' },
  );
}

/** The settings: an inline configuration, a named file, or `.podguard.yml` found by the scope. */
function readSettings(input: ScanInput, root: string, paths: readonly string[], rules: readonly Rule[], notices: string[]): Settings {
  if (input.config !== undefined) return settingsFromObject(input.config, rules, '(inline configuration)');
  if (input.configPath) return loadSettings(root, input.configPath, rules, root);
  // A nested .podguard.yml (say one a pull request added under k8s/) never overrides the
  // repository root's silently: the root's applies, and the scan says so.
  const singleDir = paths.length === 1 ? resolve(root, paths[0]!) : root;
  const nested = singleDir !== root && exists(join(singleDir, DEFAULT_CONFIG_FILE));
  const atRoot = exists(join(root, DEFAULT_CONFIG_FILE));
  const nestedLabel = safeData(relative(root, join(singleDir, DEFAULT_CONFIG_FILE)).split('\\').join('/'));
  if (nested && atRoot) {
    notices.push(
      `${nestedLabel} is not used: the repository root's ${DEFAULT_CONFIG_FILE} applies (name it as the configuration to use it).`,
    );
    return loadSettings(root, undefined, rules, root);
  }
  if (nested) {
    notices.push(`Using ${nestedLabel}: there is no ${DEFAULT_CONFIG_FILE} at the repository root.`);
    return loadSettings(singleDir, undefined, rules, root);
  }
  return loadSettings(root, undefined, rules, root);
}

/** Checks and resolves a scan's input (throws ConfigurationError for user mistakes). */
export function prepare(input: ScanInput): Job {
  const root = resolve(input.root);
  const baseRules = input.rules ?? ALL_RULES;
  const paths = input.paths && input.paths.length > 0 ? input.paths : ['.'];
  checkScopes(root, paths);
  const notices: string[] = [];
  const settings = readSettings(input, root, paths, baseRules, notices);
  for (const p of input.allowImages ?? []) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`--allow-image ${JSON.stringify(p)} ${problem}`, { input: 'allowImages' });
    settings.allowedImages.push(p);
  }
  input.adjust?.(settings);
  // Admission policies become rules of this scan only; workers rebuild them from the plan.
  const policies =
    settings.admissionPolicies.length > 0
      ? loadPolicies(input.policyRoot ?? root, settings.admissionPolicies, settings.maxFileBytes)
      : undefined;
  const rules = policies ? [...baseRules, ...policyRules(policies)] : baseRules;
  // Read the baseline first: a missing or corrupt one should stop the scan before any work.
  const baselinePath = input.baseline === false ? undefined : (input.baseline ?? settings.baseline);
  let baseline: Job['baseline'];
  if (baselinePath) {
    const abs = resolve(root, baselinePath);
    const label = relative(root, abs).split('\\').join('/') || baselinePath;
    baseline = { label, fingerprints: readBaseline(abs, safeData(label), root, input.baseline === undefined) };
  }
  const today = isoDay(input.today);
  return { root, paths, settings, notices, rules, ...(policies ? { policies } : {}), ...(baseline ? { baseline } : {}), today };
}

/**
 * With `requireChecked`, a full scan that checked no file at all (and left no chart template
 * unrendered) is an input error: a mistyped or moved path would otherwise pass the gate green.
 */
export function requireChecked(
  input: ScanInput,
  job: Job,
  checked: { filesScanned: Record<FileKind, number>; templatesNotRendered: readonly string[] },
): void {
  if (input.changedFiles !== undefined || !input.requireChecked) return;
  if (FILE_KINDS.some((k) => checked.filesScanned[k] > 0) || checked.templatesNotRendered.length > 0) return;
  throw emptyScope(job.paths.join(', '));
}

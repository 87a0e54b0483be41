/**
 * A pull request must not loosen its own gate: in a changed-files scan, `.podguard.yml` and the
 * baseline come from the base commit when the change modifies them (`pr-config: base`, the
 * default), the run fails when they are modified (`fail`), or the change's own files are used
 * with a notice (`head`). The base versions are read with `git show`, never from the work tree.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { git, splitZ } from './git.js';
import { parseYaml, toJS } from '../parse/yaml.js';
import { safeData } from '../safe-text.js';
import { ConfigurationError } from '../types.js';
import { MAX_BASELINE_BYTES, MAX_CONFIG_BYTES, readContainedFile } from '../config/safe-read.js';

/** Where a changed-files scan takes its configuration and baseline from. */
export type PrConfigMode = 'base' | 'head' | 'fail';
/** The accepted values of the `pr-config` / `prConfig` input. */
export const PR_CONFIG_MODES = ['base', 'head', 'fail'] as const;

/** What the scan uses instead of the work tree's files, and what to tell the user. */
export interface PinnedConfig {
  /** The base commit's configuration as an object (`{}`: it had none), when it applies. */
  config?: unknown;
  /** The base commit's baseline written to a temp file, or false when the base had none. */
  baseline?: string | false;
  /**
   * A directory holding the base commit's versions of the `admissionPolicies:` files (same
   * repository-relative layout), when the change modifies any of them: the scan loads its
   * policies from there (`ScanInput.policyRoot`).
   */
  policyRoot?: string;
  /** Lines for the log and the summary. */
  notices: string[];
}

/** The file at `rel` (repository-relative) in `commit`, or undefined when it does not exist there. */
async function showAt(repoTop: string, commit: string, rel: string, maxBytes: number): Promise<string | undefined> {
  const spec = `${commit}:${rel}`;
  try {
    await git(['cat-file', '-e', spec], repoTop);
  } catch {
    return undefined;
  }
  try {
    return await git(['cat-file', 'blob', spec], repoTop, maxBytes);
  } catch {
    throw new ConfigurationError(
      `cannot read ${safeData(rel)} from the base commit ${commit.slice(0, 7)} (or it is over ${maxBytes} bytes)`,
    );
  }
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** True when `file` is `entry` or inside the folder `entry` (both root-relative, POSIX). */
function under(file: string, entry: string): boolean {
  return entry === '' || entry === '.' || file === entry || file.startsWith(`${entry.replace(/\/$/, '')}/`);
}

/** A setting of the work tree's configuration (unchanged by the change), if any. */
function workTreeSetting(root: string, configFile: string, key: 'baseline' | 'admissionPolicies'): unknown {
  try {
    const text = readContainedFile(root, configFile, { label: 'config', maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
    const value = toJS(parseYaml(text).docs[0]?.root ?? null) as Record<string, unknown> | null;
    return value && typeof value === 'object' ? value[key] : undefined;
  } catch {
    return undefined; // the scan itself reports a missing or unreadable configuration
  }
}

/** What pinning a changed-files scan works with, and the result it builds. */
interface Pin {
  root: string;
  repoTop: string;
  base: string;
  mode: PrConfigMode;
  input: string;
  tempDir: string;
  configFile: string;
  changed: ReadonlySet<string>;
  out: PinnedConfig;
}

const rootRel = (pin: Pin, abs: string): string => toPosix(relative(pin.root, abs));
const repoRel = (pin: Pin, abs: string): string => toPosix(relative(pin.repoTop, abs));

/** `fail` mode: the change modifies a file the gate reads, which the user asked to refuse. */
function refused(pin: Pin, what: string): ConfigurationError {
  return new ConfigurationError(`input ${pin.input}: this change modifies ${what}, and ${pin.input} is fail`, { input: pin.input });
}

/**
 * Decides the configuration and baseline of a changed-files scan. `changed` holds the changed
 * files relative to `root`; `configFile` is the configuration the scan would read (absolute).
 */
export async function pinToBase(opts: {
  root: string;
  repoTop: string;
  base: string;
  changed: readonly string[];
  configFile: string;
  mode: PrConfigMode;
  tempDir: string;
  input: string;
}): Promise<PinnedConfig> {
  const pin: Pin = { ...opts, changed: new Set(opts.changed), out: { notices: [] } };
  const configObj = await pinConfig(pin);
  // The baseline the scan will apply: the base configuration's (when it applies), else the work tree's.
  const setting = (key: 'baseline' | 'admissionPolicies'): unknown =>
    configObj ? configObj[key] : workTreeSetting(pin.root, pin.configFile, key);
  const baselineSetting = setting('baseline');
  if (typeof baselineSetting === 'string') await pinBaseline(pin, resolve(pin.root, baselineSetting));
  // The admission policies the scan will apply, likewise: a change must not weaken its own policies.
  const policySetting = setting('admissionPolicies');
  if (Array.isArray(policySetting)) {
    const entries = policySetting.filter((e): e is string => typeof e === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(e));
    if (entries.length > 0) await pinPolicies(pin, entries);
  }
  return pin.out;
}

/** The configuration file, when the change modifies it: the base commit's version as an object (`{}`: none there). */
async function pinConfig(pin: Pin): Promise<Record<string, unknown> | undefined> {
  const { mode, input, out } = pin;
  const configRel = rootRel(pin, pin.configFile);
  if (!pin.changed.has(configRel)) return undefined;
  const shown = safeData(configRel);
  if (mode === 'fail') {
    throw new ConfigurationError(
      `input ${input}: this change modifies ${shown}, and ${input} is fail; review it, or set ${input}: base to scan with the base commit's version`,
      { input },
    );
  }
  if (mode === 'head') {
    out.notices.push(`This change modifies ${shown}; its own version applies (${input}: head).`);
    return undefined;
  }
  const text = await showAt(pin.repoTop, pin.base, repoRel(pin, pin.configFile), 1 << 20);
  let configObj: Record<string, unknown> = {};
  if (text !== undefined) {
    const parsed = parseYaml(text);
    if (parsed.problems.some((p) => p.kind === 'syntax')) throw new ConfigurationError(`the base commit's ${shown} is not valid YAML`);
    const value = toJS(parsed.docs[0]?.root ?? null);
    if (value && typeof value === 'object' && !Array.isArray(value)) configObj = value as Record<string, unknown>;
  }
  out.config = configObj;
  out.notices.push(
    `This change modifies ${shown}: the base commit's version applies, so a pull request cannot loosen its own gate (set ${input}: head to use the change's version).`,
  );
  return configObj;
}

/** The baseline file, when the change modifies it: the base commit's version in a temp file (false: none there). */
async function pinBaseline(pin: Pin, abs: string): Promise<void> {
  const { mode, input, out } = pin;
  const rel = rootRel(pin, abs);
  if (!pin.changed.has(rel)) return;
  const shown = safeData(rel);
  if (mode === 'fail') throw refused(pin, `the baseline ${shown}`);
  if (mode === 'head') {
    out.notices.push(`This change modifies the baseline ${shown}; its own version applies (${input}: head).`);
    return;
  }
  const text = await showAt(pin.repoTop, pin.base, repoRel(pin, abs), MAX_BASELINE_BYTES);
  if (text === undefined) out.baseline = false;
  else {
    const file = join(pin.tempDir, `podguard-base-baseline-${process.pid}.json`);
    writeFileSync(file, text);
    out.baseline = file;
  }
  out.notices.push(`This change modifies the baseline ${shown}: the base commit's version applies.`);
}

/** The admission policy files, when the change modifies, adds or deletes any: the base commit's copies. */
async function pinPolicies(pin: Pin, entries: string[]): Promise<void> {
  const { mode, input, out } = pin;
  // As the policy loader reads them: relative to the scan root, a leading '/' being that root too.
  const entryAbs = entries.map((e) => resolve(pin.root, e.replace(/^\/+/, '')));
  const rels = entryAbs.map((e) => repoRel(pin, e));
  if (rels.some((r) => r.startsWith('../'))) return; // the scan reports an entry outside the repository
  const touched = await policyChanges(pin, entryAbs, rels);
  if (touched.length === 0) return;
  const shown = safeData(touched[0]!);
  const more = touched.length > 1 ? ' (and other policy files)' : '';
  if (mode === 'fail') throw refused(pin, `the admission policy file ${shown}${more}`);
  if (mode === 'head') {
    out.notices.push(`This change modifies the admission policy file ${shown}${more}; its own version applies (${input}: head).`);
    return;
  }
  out.policyRoot = await copyBasePolicies(pin, rels);
  out.notices.push(
    `This change modifies the admission policy file ${shown}${more}: the base commit's policies apply, so a pull request cannot weaken its own policies (set ${input}: head to use the change's version).`,
  );
}

/**
 * Every difference between the base commit and the work tree under the policy entries (root-relative,
 * sorted): modified, added and deleted files alike (a deleted policy or binding weakens the gate as much).
 */
async function policyChanges(pin: Pin, entryAbs: readonly string[], rels: readonly string[]): Promise<string[]> {
  const pathspec = rels.map((r) => (r === '' ? '.' : r));
  const args = ['-c', 'core.quotePath=false', 'diff', '--no-ext-diff', '--no-renames', '--name-only', '-z', pin.base, '--', ...pathspec];
  const differ = splitZ(await git(args, pin.repoTop));
  const listed = [...pin.changed].filter((c) => entryAbs.some((e) => under(c, rootRel(pin, e))));
  return [...new Set([...differ.map((d) => rootRel(pin, resolve(pin.repoTop, d))), ...listed])].sort();
}

/** Copies the base commit's files under the policy entries into a temp directory (same root-relative layout). */
async function copyBasePolicies(pin: Pin, rels: readonly string[]): Promise<string> {
  const { base, repoTop } = pin;
  const dir = mkdtempSync(join(pin.tempDir, `podguard-base-policies-${process.pid}-`));
  const lsTree = (commit: string, rel: string): Promise<string> =>
    git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', rel === '' ? '.' : rel], repoTop);
  let files = 0;
  for (const rel of rels) {
    // An entry the base commit lacks is the change's addition: its committed version applies
    // (an addition cannot loosen what the base enforced).
    const atBase = await lsTree(base, rel);
    const commit = atBase.length > 0 ? base : 'HEAD';
    const tree = atBase.length > 0 ? atBase : await lsTree('HEAD', rel);
    for (const line of splitZ(tree)) {
      const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(line);
      if (!m || (m[1] !== '100644' && m[1] !== '100755')) continue; // links and submodules: not policy files
      if (++files > 2000) throw new ConfigurationError(`admissionPolicies: more than 2000 files at the base commit`);
      const text = await git(['cat-file', 'blob', m[2]!], repoTop, 8 << 20).catch(() => {
        throw new ConfigurationError(
          `cannot read ${safeData(m[3]!)} from ${commit === base ? 'the base commit' : 'HEAD'} (or it is over 8 MiB)`,
        );
      });
      const target = resolve(dir, relative(pin.root, resolve(repoTop, m[3]!)));
      if (!target.startsWith(dir + sep)) continue;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  return dir;
}

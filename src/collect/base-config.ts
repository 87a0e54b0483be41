/**
 * A pull request must not loosen its own gate: in a changed-files scan, `.podguard.yml` and the
 * baseline come from the base commit when the change modifies them (`pr-config: base`, the
 * default), the run fails when they are modified (`fail`), or the change's own files are used
 * with a notice (`head`). The base versions are read with `git show`, never from the work tree.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { git } from './git.js';
import { parseYaml, toJS } from '../parse/yaml.js';
import { safeData } from '../report/safe-text.js';
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

/** The `baseline:` of the work tree's configuration (unchanged by the change), if any. */
function workTreeBaseline(root: string, configFile: string): unknown {
  try {
    const text = readContainedFile(root, configFile, { label: 'config', maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
    const value = toJS(parseYaml(text).docs[0]?.root ?? null) as { baseline?: unknown } | null;
    return value && typeof value === 'object' ? value.baseline : undefined;
  } catch {
    return undefined; // the scan itself reports a missing or unreadable configuration
  }
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
  const { root, repoTop, base, mode, input } = opts;
  const changed = new Set(opts.changed);
  const notices: string[] = [];
  const rootRel = (abs: string): string => toPosix(relative(root, abs));
  const repoRel = (abs: string): string => toPosix(relative(repoTop, abs));
  const configRel = rootRel(opts.configFile);
  const out: PinnedConfig = { notices };

  let configObj: Record<string, unknown> | undefined;
  if (changed.has(configRel)) {
    const shown = safeData(configRel);
    if (mode === 'fail') {
      throw new ConfigurationError(
        `input ${input}: this change modifies ${shown}, and ${input} is fail; review it, or set ${input}: base to scan with the base commit's version`,
      );
    }
    if (mode === 'head') notices.push(`This change modifies ${shown}; its own version applies (${input}: head).`);
    else {
      const text = await showAt(repoTop, base, repoRel(opts.configFile), 1 << 20);
      if (text === undefined) configObj = {};
      else {
        const parsed = parseYaml(text);
        if (parsed.problems.some((p) => p.kind === 'syntax')) {
          throw new ConfigurationError(`the base commit's ${shown} is not valid YAML`);
        }
        const value = toJS(parsed.docs[0]?.root ?? null);
        configObj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      }
      out.config = configObj;
      notices.push(
        `This change modifies ${shown}: the base commit's version applies, so a pull request cannot loosen its own gate (set ${input}: head to use the change's version).`,
      );
    }
  }

  // The baseline the scan will apply: the base configuration's (when it applies), else the work tree's.
  const baselineSetting = configObj ? configObj.baseline : workTreeBaseline(root, opts.configFile);
  if (typeof baselineSetting === 'string') await pinBaseline(resolve(root, baselineSetting));
  return out;

  async function pinBaseline(abs: string): Promise<void> {
    const rel = rootRel(abs);
    if (!changed.has(rel)) return;
    const shown = safeData(rel);
    if (mode === 'fail') throw new ConfigurationError(`input ${input}: this change modifies the baseline ${shown}, and ${input} is fail`);
    if (mode === 'head') {
      notices.push(`This change modifies the baseline ${shown}; its own version applies (${input}: head).`);
      return;
    }
    const text = await showAt(repoTop, base, repoRel(abs), MAX_BASELINE_BYTES);
    if (text === undefined) out.baseline = false;
    else {
      const file = join(opts.tempDir, `podguard-base-baseline-${process.pid}.json`);
      writeFileSync(file, text);
      out.baseline = file;
    }
    notices.push(`This change modifies the baseline ${shown}: the base commit's version applies.`);
  }
}

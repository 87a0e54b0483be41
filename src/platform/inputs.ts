/**
 * Input validators every face shares (CLI flags, Action inputs, task inputs): one pattern, one
 * list and one message per value, with the face's own name for the input (`--fail-on`,
 * `input fail-on`, `input failOn`).
 */
import { isAbsolute, posix } from 'node:path';
import picomatch from 'picomatch';
import { validatePattern } from '../config/patterns.js';
import { KUBERNETES_DATA_VERSION } from '../data/deprecated-apis.js';
import { ConfigurationError } from '../types.js';
import type { FailOn } from '../types.js';

/** The gate levels, lowest finding level that fails (`never`: report only). */
export const FAIL_ON = ['error', 'warning', 'note', 'never'] as const;

/** `1.30`, `1.30.2` and `v1.30.2` (what `az aks show` and `kubectl version` print). */
const KUBERNETES_VERSION = /^v?(1\.(?:0|[1-9]\d{0,2}))(?:\.\d{1,4})?$/;

/** Names an input the way its face spells it: `--fail-on` for flags, `input failOn` for CI inputs. */
function label(name: string): string {
  return name.startsWith('-') || name.startsWith('input ') ? name : `input ${name}`;
}

/** The input's bare name, for `ConfigurationError.input`. */
function bare(name: string): string {
  return name.replace(/^input /, '');
}

/** One of `allowed`; empty means `fallback`. */
export function parseOneOf<T extends string>(raw: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  const value = (raw ?? '').trim();
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(`${label(name)} must be one of ${allowed.join(', ')} (got "${value}")`, { input: bare(name) });
}

/** A CI boolean: `true` or `false` (any case); empty means `fallback`. */
export function parseBool(raw: string | undefined, name: string, fallback: boolean): boolean {
  const value = (raw ?? '').trim();
  if (value === '') return fallback;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw new ConfigurationError(`${label(name)} must be true or false (got "${value}")`, { input: bare(name) });
}

/**
 * A multi-line input: one entry per line, trimmed; empty lines and `#` comment lines dropped.
 * Commas are data (a glob's `{a,b}`, a file name), never separators.
 */
export function parseLines(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/**
 * Paths to scan, one per line (default `.`). With `relativeOnly`, an absolute path or one with
 * `..` is the user's mistake; otherwise the engine's containment check judges them.
 */
export function parsePaths(raw: string | undefined, name: string, relativeOnly: boolean): string[] {
  const paths = parseLines(raw);
  for (const p of relativeOnly ? paths : []) {
    if (isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
      throw new ConfigurationError(`${label(name)}: ${JSON.stringify(p)} must be relative to the workspace, without ".."`, {
        input: bare(name),
      });
    }
  }
  return paths.length ? paths : ['.'];
}

/** Approved image patterns, one per line, each checked as the configuration's `allowedImages` are. */
export function parseImagePatterns(raw: string | undefined, name: string): string[] {
  const patterns = parseLines(raw);
  for (const p of patterns) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`${label(name)}: ${JSON.stringify(p)} ${problem}`, { input: bare(name) });
  }
  return patterns;
}

/** The fail-on gate; empty means `error`. */
export function parseFailOn(raw: string | undefined, name: string): FailOn {
  return parseOneOf(raw, name, FAIL_ON, 'error');
}

/** A validated Kubernetes target: the minor version, and a warning when podguard's data is older. */
export interface KubernetesTarget {
  version: string;
  warning?: string;
}

/** `1.30.2` -> `1.30`; empty -> undefined; anything else is the user's mistake. */
export function parseKubernetesVersion(raw: string | undefined, name: string): KubernetesTarget | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return undefined;
  const m = KUBERNETES_VERSION.exec(value);
  if (!m) {
    throw new ConfigurationError(`${label(name)} must be a Kubernetes version such as 1.34 or 1.34.2 (got "${value}")`, {
      input: bare(name),
    });
  }
  const version = m[1]!;
  const minor = (v: string): number => Number(v.split('.')[1]);
  if (minor(version) <= minor(KUBERNETES_DATA_VERSION)) return { version };
  return {
    version,
    warning:
      `${label(name)}: podguard knows API removals up to Kubernetes ${KUBERNETES_DATA_VERSION}; ` +
      `removals in later releases are not checked (update podguard)`,
  };
}

/** Most threads a scan may ask for: each worker holds its own heap (about 150 MB at most). */
export const MAX_THREADS = 16;

/** `--threads` / the `threads` input: empty means "the engine decides"; otherwise 1-16. */
export function parseThreads(raw: string | undefined, name: string): number | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return undefined;
  if (!/^[1-9]\d?$/.test(value) || Number(value) > MAX_THREADS) {
    throw new ConfigurationError(`${label(name)} must be a whole number from 1 to ${MAX_THREADS} (got "${value.slice(0, 20)}")`, {
      input: bare(name),
    });
  }
  return Number(value);
}

/** True when a path entry is a glob (`k8s/**\/*.yaml`) rather than a file or directory. */
export function isGlob(p: string): boolean {
  return picomatch.scan(p).isGlob;
}

/** The files under `paths` (entries may be globs) among `candidates`, all root-relative. */
export function inPaths(paths: readonly string[], candidates: readonly string[]): string[] {
  const globs = paths.filter(isGlob).map((p) => p.replace(/^\.\//, ''));
  const plain = paths
    .filter((p) => !isGlob(p))
    .map((p) => posix.normalize(p.replace(/\\/g, '/')).replace(/\/$/, ''))
    .map((p) => (p === '.' ? '' : p));
  const match = globs.length ? picomatch(globs, { dot: true }) : (): boolean => false;
  return candidates.filter((f) => match(f) || plain.some((p) => p === '' || f === p || f.startsWith(`${p}/`)));
}

/**
 * A configuration error's text for the face's failure line: prefixed with the input it names
 * when the message speaks of something else (a flag, a file).
 */
export function configurationMessage(err: ConfigurationError): string {
  return err.input && !err.message.includes(err.input) ? `input ${err.input}: ${err.message}` : err.message;
}

/**
 * An engine error renamed for the face's own input: the engine names what was wrong (`paths`,
 * `allowImages`) on the error; `names` maps that to the face's input (`paths`, `allowedImages`),
 * `fallback` names any other configuration error. Anything else passes through unchanged.
 */
export function forInput(err: unknown, names: Readonly<Record<string, string>>, fallback?: string): unknown {
  if (!(err instanceof ConfigurationError)) return err;
  const name = (err.input !== undefined ? names[err.input] : undefined) ?? fallback;
  if (name === undefined) return err;
  // The engine words a bad pattern as the CLI flag it came from; a CI face names its input instead.
  const text = err.input === 'allowImages' ? err.message.replace(/^--allow-image /, '') : err.message;
  return new ConfigurationError(`input ${name}: ${text}`, { input: name });
}

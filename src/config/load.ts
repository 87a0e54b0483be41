/** Reads and validates `.podguard.yml`; every error names the file and the key (exit code 2). */
import { badIgnoreDate, parseIgnores } from './ignore.js';
import { overridesOffAsLevel, parseOverrides } from './overrides.js';
import { lstatSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { getPair, parseYaml, toJS } from '../parse/yaml.js';
import { ConfigurationError } from '../types.js';
import type { LevelSetting } from '../types.js';
import type { Rule } from '../rule.js';
import { configSchema } from './schema.js';
import { defaultSettings } from './settings.js';
import type { Settings } from './settings.js';
import { validatePattern } from './patterns.js';
import { ContainedReadError, MAX_CONFIG_BYTES, readContainedFile } from './safe-read.js';
import { safeData } from '../safe-text.js';

/** The default configuration file name, looked up in the scanned root. */
export const DEFAULT_CONFIG_FILE = '.podguard.yml';

let cached: { rules: readonly Rule[]; validate: ValidateFunction } | undefined;

function validator(rules: readonly Rule[]): ValidateFunction {
  if (cached?.rules !== rules) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    cached = { rules, validate: ajv.compile(configSchema(rules)) };
  }
  return cached.validate;
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
};

/** Finds the line of a configuration key (for error messages), given its path. */
export type KeyLocator = (path: readonly string[]) => number | undefined;

function valueAt(data: unknown, path: readonly string[]): unknown {
  let cur: unknown = data;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

/** What a value is, never what it says: configuration files may be links to secrets. */
function shown(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : 'a number';
  return typeof v;
}

/** lstat that answers undefined for a missing file or a `root` that is a file (ENOTDIR). */
function lstatQuiet(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A key name from the file, shortened and made one safe line. */
const keyName = (k: string): string => safeData(k, 60);

/** Closest known name (edit distance at most 3), for "did you mean". */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { id: string; d: number } | undefined;
  for (const id of known) {
    const dp = Array.from({ length: id.length + 1 }, (_, j) => j);
    for (let i = 1; i <= name.length; i++) {
      let prev = dp[0]!;
      dp[0] = i;
      for (let j = 1; j <= id.length; j++) {
        const tmp = dp[j]!;
        dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (name[i - 1] === id[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    const d = dp[id.length]!;
    if (d <= 3 && (!best || d < best.d)) best = { id, d };
  }
  return best?.id;
}

function describe(err: ErrorObject, data: unknown, rules: readonly Rule[]): { path: string[]; text: string } {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = keyName(path.join('.')) || '(top level)';
  if (err.keyword === 'additionalProperties') {
    const extra = (err.params as { additionalProperty?: string }).additionalProperty ?? '';
    const full = [...path, extra];
    if (path.length === 1 && path[0] === 'rules') {
      const guess = closest(
        extra,
        rules.map((r) => r.meta.id),
      );
      return {
        path: full,
        text: `unknown rule "${keyName(extra)}" under "rules"${guess ? ` (did you mean "${guess}"?)` : ''}; podguard rules lists every rule`,
      };
    }
    if (path.length === 0) {
      const guess = closest(extra, TOP_LEVEL_KEYS);
      return {
        path: full,
        text: `unknown key "${keyName(extra)}"${guess ? ` (did you mean "${guess}"?)` : ''}; known keys: ${TOP_LEVEL_KEYS.join(', ')}`,
      };
    }
    if (path.length === 2 && path[0] === 'rules') {
      const rule = rules.find((r) => r.meta.id === path[1]);
      const opts = Object.keys((rule?.meta.optionsSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const list = opts.length ? `level, ${opts.join(', ')}` : 'level (it has no options)';
      return { path: full, text: `unknown option "${keyName(full.join('.'))}"; ${path[1]} takes ${list}` };
    }
    return { path: full, text: `unknown key "${keyName(full.join('.'))}"` };
  }
  const got = valueAt(data, path);
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return { path, text: `"${key}" must be one of ${allowed.map((a) => String(a)).join(', ')} (got ${shown(got)})` };
  }
  // Unquoted, YAML reads `kubernetesVersion: 1.30` as the number 1.3: say how to write it.
  if (key === 'kubernetesVersion') {
    return {
      path,
      text: `"kubernetesVersion" must be a quoted minor version such as "1.34" (unquoted, YAML reads 1.30 as 1.3; got ${shown(got)})`,
    };
  }
  if (err.keyword === 'type') {
    const want = String((err.params as { type?: string }).type ?? '');
    return { path, text: `"${key}" must be ${TYPE_WORDS[want] ?? want} (got ${shown(got)})` };
  }
  return { path, text: `"${key}" ${err.message ?? 'is invalid'} (got ${shown(got)})` };
}

/** The top-level keys of .podguard.yml. */
const TOP_LEVEL_KEYS = [
  'profile',
  'rules',
  'allowedImages',
  'deniedImages',
  'requireDigest',
  'exclude',
  'baseline',
  'maxFileBytes',
  'kubernetesVersion',
  'overrides',
  'ignore',
  'admissionPolicies',
  'render',
];

/** Keeps the errors that explain a failed `anyOf` of a rule entry (a level, or an options object). */
function relevant(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword === 'anyOf') return false;
    const m = /\/rules\/properties\/[^/]+\/anyOf\/(\d)\//.exec(e.schemaPath);
    if (!m) return true;
    const ruleKey = e.instancePath.split('/').slice(0, 3).join('/');
    const value = valueAt(
      data,
      ruleKey
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
    );
    const branch = value !== null && typeof value === 'object' && !Array.isArray(value) ? '1' : '0';
    return m[1] === branch;
  });
}

/**
 * The config file is read as YAML 1.1 (like manifests), where a plain `off` is the boolean
 * false; `rules: {x: off}` and `level: off` mean the level "off", so read false as that.
 */
function offAsLevel(input: Record<string, unknown>): Record<string, unknown> {
  const data = 'overrides' in input ? { ...input, overrides: overridesOffAsLevel(input.overrides) } : input;
  const cfg = data as { rules?: unknown };
  if (typeof cfg.rules !== 'object' || cfg.rules === null || Array.isArray(cfg.rules)) return data;
  const rules: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(cfg.rules)) {
    if (value === false) rules[id] = 'off';
    else if (typeof value === 'object' && value !== null && (value as { level?: unknown }).level === false)
      rules[id] = { ...value, level: 'off' };
    else rules[id] = value;
  }
  return { ...data, rules };
}

/**
 * Validates a configuration object and turns it into Settings. Top-level keys left empty
 * (`exclude:` with every item commented out) count as absent. `locate` adds line numbers.
 */
export function settingsFromObject(input: unknown, rules: readonly Rule[], fileLabel: string, locate?: KeyLocator): Settings {
  const settings = defaultSettings();
  settings.configFile = fileLabel;
  if (input === null || input === undefined) return settings;
  const data =
    typeof input === 'object' && !Array.isArray(input)
      ? offAsLevel(Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== null)))
      : input;
  const validate = validator(rules);
  if (!validate(data)) {
    const errs = relevant(validate.errors ?? [], data);
    const described = (errs.length ? errs : (validate.errors ?? [])).map((e) => describe(e, data, rules));
    const unique = [...new Map(described.map((d) => [d.text, d])).values()];
    const lines = unique.map((d) => {
      const line = locate?.(d.path);
      return `${fileLabel}${line ? `:${line}` : ''}: ${d.text}`;
    });
    throw new ConfigurationError(lines.join('\n'));
  }
  const cfg = data as Record<string, unknown>;
  if (cfg.profile === 'baseline' || cfg.profile === 'restricted') settings.profile = cfg.profile;
  for (const key of ['allowedImages', 'deniedImages'] as const) {
    const list = (cfg[key] as string[] | undefined) ?? [];
    list.forEach((p, i) => {
      const problem = validatePattern(p);
      if (problem) throw new ConfigurationError(`${fileLabel}: "${key}.${i}" ${problem}`);
    });
    settings[key] = list;
  }
  if (typeof cfg.requireDigest === 'boolean') settings.requireDigest = cfg.requireDigest;
  if (Array.isArray(cfg.exclude)) settings.exclude = cfg.exclude as string[];
  if (typeof cfg.baseline === 'string') settings.baseline = cfg.baseline;
  if (typeof cfg.maxFileBytes === 'number') settings.maxFileBytes = cfg.maxFileBytes;
  if (typeof cfg.kubernetesVersion === 'string') settings.kubernetesVersion = cfg.kubernetesVersion;
  settings.overrides = parseOverrides(cfg.overrides);
  const badDate = badIgnoreDate(cfg.ignore);
  if (badDate) {
    // The value is not echoed, as no configuration value is: the key says where it is.
    throw new ConfigurationError(`${fileLabel}: "${badDate}" is not a calendar date (YYYY-MM-DD)`);
  }
  settings.ignores = parseIgnores(cfg.ignore);
  if (Array.isArray(cfg.admissionPolicies)) settings.admissionPolicies = cfg.admissionPolicies as string[];
  if (cfg.render && typeof cfg.render === 'object') readRender(cfg.render as Record<string, unknown>, settings);
  const ruleCfg = (cfg.rules ?? {}) as Record<string, unknown>;
  for (const [id, value] of Object.entries(ruleCfg)) {
    if (typeof value === 'string') settings.rules[id] = { level: value as LevelSetting, options: {} };
    else {
      const { level, ...options } = value as Record<string, unknown>;
      settings.rules[id] = { level: level as LevelSetting | undefined, options };
    }
  }
  return settings;
}

/** The validated `render:` block into settings. */
function readRender(r: Record<string, unknown>, settings: Settings): void {
  const out = settings.render;
  if (r.mode === 'required' || r.mode === 'optional' || r.mode === 'off') out.mode = r.mode;
  if (typeof r.helm === 'string') out.helm = r.helm;
  if (typeof r.kustomize === 'string') out.kustomize = r.kustomize;
  if (typeof r.timeoutSeconds === 'number') out.timeoutSeconds = r.timeoutSeconds;
  if (typeof r.enableHelm === 'boolean') out.enableHelm = r.enableHelm;
  for (const [dir, c] of Object.entries((r.charts ?? {}) as Record<string, Record<string, unknown>>)) {
    const key = dir.replace(/\/+$/, '').replace(/^\.\//, '') || '.';
    out.charts[key] = {
      valuesFiles: Array.isArray(c?.valuesFiles) ? (c.valuesFiles as string[]) : [],
      ...(typeof c?.releaseName === 'string' ? { releaseName: c.releaseName } : {}),
      ...(typeof c?.namespace === 'string' ? { namespace: c.namespace } : {}),
    };
  }
}

/**
 * Loads settings: the explicit `configPath` (relative to `root`; must exist), else `.podguard.yml` in `root`
 * if present, else defaults.
 */
export function loadSettings(root: string, configPath: string | undefined, rules: readonly Rule[], repoRoot: string = root): Settings {
  let path: string | undefined;
  if (configPath) path = isAbsolute(configPath) ? configPath : resolve(root, configPath);
  // lstat, not exists: a dangling link named .podguard.yml is refused, not silently ignored.
  else if (lstatQuiet(join(root, DEFAULT_CONFIG_FILE))) path = join(root, DEFAULT_CONFIG_FILE);
  if (!path) return defaultSettings();
  const label = safeData(relative(repoRoot, path).split('\\').join('/') || path);
  let text: string;
  try {
    text = readContainedFile(repoRoot, path, { label, maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
  } catch (err) {
    if (err instanceof ContainedReadError && err.missing && configPath) {
      throw new ConfigurationError(`configuration file not found: ${safeData(configPath)}`);
    }
    throw err;
  }
  const parsed = parseYaml(text);
  const problem = parsed.problems.find((p) => p.kind !== 'duplicate-key') ?? parsed.problems[0];
  if (problem) {
    const line = text.slice(0, problem.offset).split('\n').length;
    throw new ConfigurationError(`${label}:${line}: not valid YAML: ${problem.message}`);
  }
  if (parsed.docs.length > 1) throw new ConfigurationError(`${label}: holds ${parsed.docs.length} YAML documents; use one`);
  const top = parsed.docs[0]?.root;
  const locate: KeyLocator = (path) => {
    let node = top ?? undefined;
    let at: number | undefined;
    for (const key of path) {
      const pair = getPair(node, key);
      if (!pair) break;
      at = pair.key.start;
      node = pair.value;
    }
    return at === undefined ? undefined : text.slice(0, at).split('\n').length;
  };
  return settingsFromObject(toJS(top), rules, label, locate);
}

/** Reads and validates `.podguard.yml`; every error names the file and the key (exit code 2). */
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseYaml, toJS } from '../parse/yaml.js';
import { ConfigurationError } from '../types.js';
import type { LevelSetting } from '../types.js';
import type { Rule } from '../rules/api.js';
import { configSchema } from './schema.js';
import { defaultSettings } from './settings.js';
import type { Settings } from './settings.js';
import { validatePattern } from './patterns.js';

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

function describe(err: ErrorObject): string {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const key = path || '(top level)';
  if (err.keyword === 'additionalProperties') {
    const extra = (err.params as { additionalProperty?: string }).additionalProperty ?? '';
    return `unknown key "${path ? `${path}.` : ''}${extra}"`;
  }
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `"${key}" must be one of ${allowed.map((a) => String(a)).join(', ')}`;
  }
  // Unquoted, YAML reads `kubernetesVersion: 1.30` as the number 1.3: say how to write it.
  if (key === 'kubernetesVersion')
    return `"kubernetesVersion" must be a quoted minor version such as "1.34" (unquoted, YAML reads 1.30 as 1.3)`;
  return `"${key}" ${err.message ?? 'is invalid'}`;
}

/** Validates a configuration object and turns it into Settings. */
export function settingsFromObject(data: unknown, rules: readonly Rule[], fileLabel: string): Settings {
  const settings = defaultSettings();
  settings.configFile = fileLabel;
  if (data === null || data === undefined) return settings;
  const validate = validator(rules);
  if (!validate(data)) {
    const errs = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf');
    const unique = [...new Set((errs.length ? errs : (validate.errors ?? [])).map(describe))];
    throw new ConfigurationError(`${fileLabel}: ${unique.join('; ')}`);
  }
  const cfg = data as Record<string, unknown>;
  if (cfg.profile === 'baseline' || cfg.profile === 'restricted') settings.profile = cfg.profile;
  for (const key of ['allowedImages', 'deniedImages'] as const) {
    const list = (cfg[key] as string[] | undefined) ?? [];
    list.forEach((p, i) => {
      const problem = validatePattern(p);
      if (problem) throw new ConfigurationError(`${fileLabel}: "${key}.${i}" (${JSON.stringify(p)}) ${problem}`);
    });
    settings[key] = list;
  }
  if (typeof cfg.requireDigest === 'boolean') settings.requireDigest = cfg.requireDigest;
  if (Array.isArray(cfg.exclude)) settings.exclude = cfg.exclude as string[];
  if (typeof cfg.baseline === 'string') settings.baseline = cfg.baseline;
  if (typeof cfg.maxFileBytes === 'number') settings.maxFileBytes = cfg.maxFileBytes;
  if (typeof cfg.kubernetesVersion === 'string') settings.kubernetesVersion = cfg.kubernetesVersion;
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

/**
 * Loads settings: the explicit `configPath` (relative to `root`; must exist), else `.podguard.yml` in `root`
 * if present, else defaults.
 */
export function loadSettings(root: string, configPath: string | undefined, rules: readonly Rule[]): Settings {
  let path: string | undefined;
  if (configPath) {
    path = isAbsolute(configPath) ? configPath : resolve(root, configPath);
    if (!existsSync(path)) throw new ConfigurationError(`configuration file not found: ${configPath}`);
  } else if (existsSync(join(root, DEFAULT_CONFIG_FILE))) {
    path = join(root, DEFAULT_CONFIG_FILE);
  }
  if (!path) return defaultSettings();
  const label = relative(root, path).split('\\').join('/') || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigurationError(`${label}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseYaml(text);
  const problem = parsed.problems.find((p) => p.kind !== 'duplicate-key') ?? parsed.problems[0];
  if (problem) {
    const line = text.slice(0, problem.offset).split('\n').length;
    throw new ConfigurationError(`${label}:${line}: ${problem.message}`);
  }
  if (parsed.docs.length > 1) throw new ConfigurationError(`${label}: holds ${parsed.docs.length} YAML documents; use one`);
  return settingsFromObject(levelsOff(toJS(parsed.docs[0]?.root)), rules, label);
}

/** YAML 1.1 reads an unquoted `off` as false: a rule level of false means the `off` the user wrote. */
function levelsOff(data: unknown): unknown {
  const ruleCfg = (data as { rules?: unknown } | null)?.rules;
  if (!ruleCfg || typeof ruleCfg !== 'object' || Array.isArray(ruleCfg)) return data;
  for (const [id, value] of Object.entries(ruleCfg as Record<string, unknown>)) {
    if (value === false) (ruleCfg as Record<string, unknown>)[id] = 'off';
    else if (value && typeof value === 'object' && (value as { level?: unknown }).level === false)
      (value as { level: string }).level = 'off';
  }
  return data;
}

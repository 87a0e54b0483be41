/**
 * `overrides:` in .podguard.yml: per-path profile and rule levels for platform teams (a baseline
 * profile for `charts/vendor/**`, rules off under `test/**`), applied in order, later entries
 * winning. Levels only: rule options stay global.
 */
import picomatch from 'picomatch';
import type { Rule } from '../rule.js';
import type { LevelSetting, Profile } from '../types.js';
import type { PathOverride } from './settings.js';

const LEVEL = { enum: ['off', 'note', 'warning', 'error'] };

/** The schema of `overrides` (rule ids are checked against the registry). */
export function overridesSchema(rules: readonly Rule[]): Record<string, unknown> {
  return {
    description:
      'Per-path profile and rule levels, applied in order (later entries win) to files matching any of their globs. Levels only: rule options stay global.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['files'],
      properties: {
        files: {
          description: 'Path globs relative to the scanned root, e.g. charts/vendor/** or test/**.',
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
        },
        profile: { description: 'Pod Security Standards level for these files.', enum: ['baseline', 'restricted'] },
        rules: {
          description: 'Rule levels for these files (off, note, warning, error).',
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(rules.map((r) => [r.meta.id, LEVEL])),
        },
      },
    },
  };
}

/** Turns validated `overrides` data into entries (YAML 1.1 reads a plain `off` as false). */
export function parseOverrides(data: unknown): PathOverride[] {
  if (!Array.isArray(data)) return [];
  return data.map((raw: { files: string[]; profile?: Profile; rules?: Record<string, LevelSetting | false> }) => {
    const rules: Record<string, LevelSetting> = {};
    for (const [id, level] of Object.entries(raw.rules ?? {})) rules[id] = level === false ? 'off' : level;
    const files = raw.files.map((g) => g.replace(/^\.\//, ''));
    return { files, ...(raw.profile ? { profile: raw.profile } : {}), rules, matches: picomatch(files, { dot: true }) };
  });
}

/** Reads `false` as `off` in each entry's rules before validation. */
export function overridesOffAsLevel(data: unknown): unknown {
  if (!Array.isArray(data)) return data;
  return data.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
    const rules = (entry as { rules?: unknown }).rules;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return entry;
    return { ...entry, rules: Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, v === false ? 'off' : v])) };
  });
}

/** True when some override could turn `rule` on for some path (so it must run). */
export function mayEnable(overrides: readonly PathOverride[], rule: Rule): boolean {
  return overrides.some(
    (o) => (o.rules[rule.meta.id] ?? 'off') !== 'off' || (o.profile === 'restricted' && rule.meta.profile === 'restricted'),
  );
}

/**
 * The level `rule` has in `file`: the globally configured level and profile, then every
 * matching override in order. `undefined`: nothing configured, the finding keeps its own level.
 */
export function levelFor(
  rule: Rule,
  file: string,
  global: { level: LevelSetting | undefined; profile: Profile },
  overrides: readonly PathOverride[],
): LevelSetting | undefined {
  let level = global.level;
  let profile = global.profile;
  for (const o of overrides) {
    if (!o.matches(file)) continue;
    if (o.profile) profile = o.profile;
    const set = o.rules[rule.meta.id];
    if (set) level = set;
  }
  if (level) return level;
  if (profile === 'baseline' && rule.meta.profile === 'restricted') return 'off';
  return undefined;
}

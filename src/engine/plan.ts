/**
 * The check plan: settings and rules -> what runs, at which level, with which options. Plain data,
 * so a worker thread checks files exactly as the main thread does.
 */
import type { Settings } from '../config/settings.js';
import { mayEnable } from '../config/overrides.js';
import type { PolicySet } from '../policy/load.js';
import type { Rule, RuleContext } from '../rule.js';
import type { Level } from '../types.js';

/** How loud a rule is: the level it runs at, its own default, and what the user configured. */
export interface RuleLevels {
  /** The level findings get unless a report asks for its own (the configured level, else the default). */
  level: Level;
  /** The rule's own default (`meta.level`). */
  defaultLevel: Level;
  /**
   * The level set under `rules.<id>` in the configuration, when one is: it wins over the level a
   * report asks for (`Report.level`), as the contract says.
   */
  configured?: Level;
}

/** A rule that runs, with its resolved levels and options. */
export interface PlannedRule extends RuleLevels {
  id: string;
  options: Record<string, unknown>;
}

/** An engine-made rule's levels; `level` is `off` when its findings are not reported. */
export interface PlannedSystemRule extends Omit<RuleLevels, 'level'> {
  level: Level | 'off';
}

/** What a worker needs to check files exactly as the main thread would. */
export interface CheckPlan {
  settings: Settings;
  /** Enabled rules, in registry order. */
  rules: PlannedRule[];
  /** The engine's own rules (file-error, parse-error...), by id. */
  system: Record<string, PlannedSystemRule>;
  partial: boolean;
  /**
   * The scan applies a baseline: findings of renamed or split rules keep the fingerprints they had
   * under their former ids (`Finding.formerFingerprints`), which only a baseline reads.
   */
  baseline: boolean;
  /** Admission policies of this scan (plain data): their `policy/<name>` rules are built on each thread. */
  policies?: PolicySet;
}

/** A rule enabled for this scan on this thread: the rule, its levels, and what its contexts share. */
export interface ActiveRule extends RuleLevels {
  rule: Rule;
  /** The per-rule part of every document's context (`state` is this thread's memo of the rule). */
  context: Omit<RuleContext, 'report' | 'crossFile'>;
}

/** The level a rule runs at after the configuration and the profile. */
function ruleLevel(rule: Rule, settings: Settings): Level | 'off' {
  const configured = settings.rules[rule.meta.id]?.level;
  if (configured) return configured;
  // `image-tag: off` written before image-digest was split out of it still turns both off.
  if (rule.meta.formerIds?.some((id) => settings.rules[id]?.level === 'off')) return 'off';
  if (settings.profile === 'baseline' && rule.meta.profile === 'restricted') return 'off';
  return rule.meta.level;
}

/** The level configured for a rule, when it is one (not `off`). */
function configuredLevel(rule: Rule, settings: Settings): { configured?: Level } {
  const configured = settings.rules[rule.meta.id]?.level;
  return configured && configured !== 'off' ? { configured } : {};
}

/** The plan of a scan: every rule's levels and options under these settings. */
export function checkPlan(
  job: { settings: Settings; rules: readonly Rule[]; policies?: PolicySet },
  opts: { partial: boolean; baseline?: boolean },
): CheckPlan {
  const { settings, rules, policies } = job;
  const planned: PlannedRule[] = [];
  for (const rule of rules) {
    if (rule.meta.system) continue;
    let level = ruleLevel(rule, settings);
    // A rule off here but on under some `overrides:` path runs; applyOverrides drops the rest.
    if (level === 'off' && mayEnable(settings.overrides, rule)) level = rule.meta.level;
    if (level === 'off') continue;
    planned.push({
      id: rule.meta.id,
      level,
      defaultLevel: rule.meta.level,
      ...configuredLevel(rule, settings),
      options: { ...(rule.meta.defaultOptions ?? {}), ...(settings.rules[rule.meta.id]?.options ?? {}) },
    });
  }
  const system = Object.fromEntries(
    rules
      .filter((r) => r.meta.system)
      .map((r): [string, PlannedSystemRule] => [
        r.meta.id,
        { level: ruleLevel(r, settings), defaultLevel: r.meta.level, ...configuredLevel(r, settings) },
      ]),
  );
  return {
    settings,
    rules: planned,
    system,
    partial: opts.partial,
    baseline: opts.baseline ?? false,
    ...(policies ? { policies } : {}),
  };
}

/** The active rules of a plan, from a rule registry (this thread's rule objects). */
export function activeRules(plan: CheckPlan, registry: readonly Rule[]): ActiveRule[] {
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  return plan.rules.map(({ id, options, ...levels }) => {
    const rule = byId.get(id);
    if (!rule) throw new Error(`rule ${id} is not registered in this build`);
    return { rule, ...levels, context: { options, settings: plan.settings, state: new Map(), partial: plan.partial } };
  });
}

/** True when the plan reports an engine-made rule's findings. */
export function systemOn(plan: CheckPlan, id: string): boolean {
  return (plan.system[id]?.level ?? 'off') !== 'off';
}

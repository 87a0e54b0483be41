/**
 * Applies the configuration's policy blocks to a scan's findings: `overrides:` (per-path levels)
 * and `ignore:` (per-resource ignores). Runs on the main thread after every rule has reported.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { k8sObjects } from '../parse/kubernetes.js';
import { parseYaml } from '../parse/yaml.js';
import type { Rule } from '../rule.js';
import type { Finding } from '../types.js';
import type { ResourceIgnore } from './ignore.js';
import { identityIs } from './ignore.js';
import { levelFor } from './overrides.js';
import type { Settings } from './settings.js';

/** Keeps the findings `keep` accepts, in place (the array may hold hundreds of thousands). */
function filterInPlace<T>(list: T[], keep: (item: T) => boolean): void {
  let w = 0;
  for (const item of list) if (keep(item)) list[w++] = item;
  list.length = w;
}

/** Drops findings an override turns off for their file and sets the levels overrides give. */
export function applyOverrides(findings: Finding[], rules: ReadonlyMap<string, Rule>, settings: Settings): void {
  if (settings.overrides.length === 0) return;
  filterInPlace(findings, (f) => {
    const rule = rules.get(f.ruleId);
    if (!rule) return true;
    const level = levelFor(rule, f.file, { level: settings.rules[f.ruleId]?.level, profile: settings.profile }, settings.overrides);
    if (level === 'off') return false;
    if (level) f.level = level;
    return true;
  });
}

/** The namespace (`default` when unnamed) of the object named kind/name nearest above `line` in a file. */
type NamespaceAt = (file: string, kind: string, name: string, line: number) => string | undefined;

function namespaceReader(root: string): NamespaceAt {
  const cache = new Map<string, { kind: string; name: string | undefined; namespace: string; line: number }[]>();
  return (file, kind, name, line) => {
    let objects = cache.get(file);
    if (!objects) {
      objects = [];
      try {
        const text = readFileSync(resolve(root, file), 'utf8');
        const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
        for (const o of k8sObjects(parseYaml(text).docs)) {
          objects.push({ kind: o.kind, name: o.name, namespace: o.namespace ?? 'default', line: lineOf(o.node.start) });
        }
      } catch {
        // Unreadable now: no namespace is known, so a namespaced ignore does not apply.
      }
      cache.set(file, objects);
    }
    let best: { namespace: string; line: number } | undefined;
    for (const o of objects) if (o.kind === kind && o.name === name && o.line <= line && (!best || o.line > best.line)) best = o;
    return best?.namespace;
  };
}

/** What `applyIgnores` found: ignores past their date, to be reported. */
export interface IgnoreOutcome {
  expired: ResourceIgnore[];
}

/**
 * Marks findings an `ignore:` entry covers as suppressed (`external`, with the entry's reason).
 * Entries past `until` apply to nothing and are returned as expired.
 */
export function applyIgnores(findings: readonly Finding[], settings: Settings, root: string, today: string): IgnoreOutcome {
  const expired = settings.ignores.filter((i) => i.until !== undefined && today > i.until);
  const live = settings.ignores.filter((i) => !expired.includes(i));
  if (live.length === 0) return { expired };
  const namespaceAt = namespaceReader(root);
  for (const f of findings) {
    if (f.suppression) continue;
    const entry = live.find(
      (i) =>
        i.rules.includes(f.ruleId) &&
        identityIs(f.identity, i.kind, i.name) &&
        (i.namespace === undefined || namespaceAt(f.file, i.kind, i.name, f.range.start.line) === i.namespace),
    );
    if (entry) f.suppression = { kind: 'external', justification: entry.reason };
  }
  return { expired };
}

/**
 * After the check: findings of rendered streams move to their templates, the render stage's
 * notices are reported, per-path overrides set levels, suppression directives and `ignore:`
 * entries mark findings, the baseline marks known ones, and the findings are sorted.
 *
 * Rendered streams' findings are remapped together (findings of many streams land on one
 * template, whose directives apply to all of them); every other step runs one file at a time in
 * file order, over that file's findings taken out of the spool, and pushes them judged and sorted
 * to the result (see docs/architecture.md, "How findings stay out of memory").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyIgnores, applyOverrides } from '../config/policy.js';
import type { ResourceIgnore } from '../config/ignore.js';
import type { Settings } from '../config/settings.js';
import { compareFindings } from '../findings.js';
import { sourceFile } from '../parse/source.js';
import type { RenderNotice, RenderStage } from '../render/index.js';
import type { Rule } from '../rule.js';
import { formerIdsOf } from '../rules/aliases.js';
import { rule as expiredSuppression } from '../rules/expired-suppression.js';
import { rule as invalidSuppression } from '../rules/invalid-suppression.js';
import { rule as notRendered } from '../rules/not-rendered.js';
import { rule as renderFailed } from '../rules/render-failed.js';
import { rule as suppressionFormerRuleId } from '../rules/suppression-former-rule-id.js';
import { rule as suppressionWithoutReason } from '../rules/suppression-without-reason.js';
import { rule as unusedSuppression } from '../rules/unused-suppression.js';
import { applySuppressions } from '../suppress/apply.js';
import type { DirectiveReport, SuppressOptions } from '../suppress/apply.js';
import type { Directive } from '../suppress/directives.js';
import { readDirectives } from '../suppress/directives.js';
import type { Finding } from '../types.js';
import type { Collector } from './collector.js';
import type { CheckPlan } from './plan.js';
import type { FileSpool, Numbered } from './spool.js';
import { systemOn } from './plan.js';
import type { AnySystemRule, SystemFindings } from './system-findings.js';

/** The engine rules a render notice or a directive report names (their message ids are checked when reported). */
const RENDER_RULES: Record<RenderNotice['ruleId'], AnySystemRule> = { 'not-rendered': notRendered, 'render-failed': renderFailed };
const SUPPRESSION_RULES: Record<DirectiveReport['ruleId'], AnySystemRule> = {
  'suppression-without-reason': suppressionWithoutReason,
  'expired-suppression': expiredSuppression,
  'unused-suppression': unusedSuppression,
  'invalid-suppression': invalidSuppression,
  'suppression-former-rule-id': suppressionFormerRuleId,
};

/** What the steps after the check read. */
export interface Judging {
  root: string;
  settings: Settings;
  /** Every registered rule of the scan (policy rules included). */
  rules: readonly Rule[];
  plan: CheckPlan;
  /** Ids of the rules that ran. */
  enabled: readonly string[];
  today: string;
}

function readQuiet(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}

/** Suppression comments of a template or patch that rendered findings were mapped to. */
function templateDirectives(absPath: string, relPath: string): Directive[] {
  const text = readQuiet(absPath);
  if (!text.includes('podguard-ignore')) return [];
  // Comment directives only need the text; a template is not parsed as YAML.
  return readDirectives({
    kind: 'compose',
    source: sourceFile(absPath, relPath, text),
    docs: [],
    problems: [],
    objects: [],
    workloads: [],
  });
}

/**
 * Findings on rendered streams move to the template, values or patch line that wrote them.
 * podguard.dev/ignore annotations travel with the rendered object: they apply before the move;
 * the comments of the templates findings moved to join `directives`. Rendered streams' findings
 * stay in memory (the spool keeps them), so this takes them all, in arrival order, and puts the
 * moved ones back under the same numbers.
 */
export function remapRendered(
  store: FileSpool,
  render: RenderStage,
  directives: { files: Map<string, Directive[]>; rendered: ReadonlyMap<string, Directive[]> },
  j: Judging,
): void {
  const numbered = store.takeKept();
  const seqOf = new Map(numbered.map(([seq, f]) => [f, seq]));
  const findings = numbered.map(([, f]) => f);
  applySuppressions(findings, directives.rendered, {
    today: j.today,
    knownRules: new Set(j.rules.map((r) => r.meta.id)),
    enabledRules: new Set(),
    reasonRequired: systemOn(j.plan, 'suppression-without-reason'),
  });
  for (const f of render.remap(findings)) store.put(seqOf.get(f)!, f);
  for (const src of render.mappedSources()) {
    if (directives.files.has(src.relPath)) continue;
    const found = templateDirectives(src.absPath, src.relPath);
    if (found.length) directives.files.set(src.relPath, found);
  }
}

/** The render stage's findings (a chart not rendered, a render that failed), each a file of its own. */
export function reportRenderNotices(notices: readonly RenderNotice[], out: Collector, system: SystemFindings, root: string): void {
  for (const n of notices) {
    const rule = RENDER_RULES[n.ruleId];
    if (!system.on(rule)) continue;
    const file = sourceFile(resolve(root, n.file), n.file, readQuiet(resolve(root, n.file)));
    const at = file.lines.range(n.offset ?? 0, n.endOffset ?? n.offset ?? 0);
    system.report({ rule, message: n.messageId, data: n.data, file, at, identity: n.identity, ...(n.level ? { level: n.level } : {}) });
    out.endFile();
  }
}

/** What suppressing one file needs, made once per scan. */
function suppressOptions(j: Judging): SuppressOptions {
  return {
    today: j.today,
    knownRules: new Set(j.rules.map((r) => r.meta.id)),
    enabledRules: new Set([...j.enabled, ...Object.keys(j.plan.system).filter((id) => systemOn(j.plan, id))]),
    reasonRequired: systemOn(j.plan, 'suppression-without-reason'),
    formerIds: formerIdsOf(j.rules),
  };
}

/** Applies one file's suppression directives and reports the directives that do not do their job. */
export function suppress(
  findings: Finding[],
  directives: ReadonlyMap<string, Directive[]>,
  system: SystemFindings,
  opts: SuppressOptions,
): void {
  for (const r of applySuppressions(findings, directives, opts)) {
    system.report({
      rule: SUPPRESSION_RULES[r.ruleId],
      message: r.messageId,
      data: r.data,
      file: r.file,
      at: r.range,
      identity: r.identity,
    });
  }
}

/** Reports `ignore:` entries past their date (on the configuration file). */
function reportExpired(expired: readonly ResourceIgnore[], system: SystemFindings, j: Judging): void {
  const configFile = j.settings.configFile;
  if (!expired.length || !system.on(expiredSuppression) || !configFile) return;
  for (const i of expired) {
    system.report({
      rule: expiredSuppression,
      message: 'expired',
      file: configFile,
      data: { form: `ignore entry ${i.index + 1} (${i.kind}/${i.name})`, rules: i.rules.join(', '), until: i.until! },
      identity: `ignore:${i.index}`,
    });
  }
}

/** Marks the findings a baseline knows (not suppressed ones); returns how many it knew. */
export function markBaselined(findings: readonly Finding[], fingerprints: ReadonlySet<string>): number {
  let n = 0;
  for (const f of findings) {
    if (f.suppression || !(fingerprints.has(f.fingerprint) || (f.formerFingerprints ?? []).some((fp) => fingerprints.has(fp)))) continue;
    f.baselined = true;
    n++;
  }
  return n;
}

/** Where judged findings go, in their final order. */
export interface JudgedSink {
  push(f: Finding): void;
}

/** Sorts numbered findings: by `compareFindings`, ties in arrival order (as a stable sort of one list). */
function sorted(numbered: Numbered[]): Finding[] {
  return numbered.sort((a, b) => compareFindings(a[1], b[1]) || a[0] - b[0]).map(([, f]) => f);
}

/**
 * Every step after the check, one file at a time in file order: per-path overrides, suppression
 * directives (and the findings about them), `ignore:` entries, the baseline, the order. Each step
 * needs only the file's own findings and directives, so at most one file's findings are decoded
 * at a time; the result is what the steps over one list of every finding gave. Returns what the
 * baseline knew.
 */
export function postProcess(
  { out, store }: { out: Collector; store: FileSpool },
  system: SystemFindings,
  s: { render: RenderStage; directives: Map<string, Directive[]>; renderedDirectives: ReadonlyMap<string, Directive[]> },
  j: Judging & { baseline?: { label: string; fingerprints: ReadonlySet<string> } },
  to: JudgedSink,
): { baseline?: { file: string; known: number } } {
  remapRendered(store, s.render, { files: s.directives, rendered: s.renderedDirectives }, j);
  reportRenderNotices(s.render.notices, out, system, j.root);
  const rules = new Map(j.rules.map((r) => [r.meta.id, r]));
  const opts = suppressOptions(j);
  const { expired } = applyIgnores([], j.settings, j.root, j.today);
  const configFile = expired.length && system.on(expiredSuppression) ? j.settings.configFile : undefined;
  const files = new Set([...store.files(), ...s.directives.keys(), ...(configFile ? [configFile] : [])]);
  let known = 0;
  for (const file of [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.endFile();
    const numbered = store.take(file);
    // Per-path overrides judge findings where they now stand (templates, values and patches included).
    const findings = numbered.map(([, f]) => f);
    applyOverrides(findings, rules, j.settings);
    const judged = new Set(findings);
    const list = numbered.filter(([, f]) => judged.has(f));
    const directives = s.directives.get(file);
    if (directives) {
      suppress(findings, new Map([[file, directives]]), system, opts);
      for (const x of store.take(file)) list.push(x);
    }
    applyIgnores(
      list.map(([, f]) => f),
      j.settings,
      j.root,
      j.today,
    );
    if (file === configFile) {
      reportExpired(expired, system, j);
      for (const x of store.take(file)) list.push(x);
    }
    const ordered = sorted(list);
    if (j.baseline) known += markBaselined(ordered, j.baseline.fingerprints);
    for (const f of ordered) to.push(f);
  }
  return j.baseline ? { baseline: { file: j.baseline.label, known } } : {};
}

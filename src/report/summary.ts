/**
 * The Markdown summary shared by the GitHub job summary and the Azure Pipelines summary tab:
 * verdict, counts by level and rule, a findings table, each rule's fix once, how to suppress.
 */
import { countByLevel, displayLevel, gates, someFinding, topBySeverity } from '../findings.js';
import type { ScanReport as ScanResult } from '../engine.js';
import type { Finding, Level } from '../types.js';
import { HOMEPAGE, ruleDocUrl } from '../version.js';
import { scannedSummary } from './text.js';
import { fixText } from '../rule.js';
import { safePath } from '../safe-text.js';

/** Summary options. */
export interface SummaryOptions {
  failOn: Level | 'never';
  /** Link for a file and line (e.g. to the pull request's head commit); plain text when absent. */
  link?: (file: string, line: number) => string | undefined;
  /** Upper bound of the Markdown size in bytes (GitHub allows 1 MiB per step summary). */
  maxBytes?: number;
  /** Files or lines touched by the change, listed first (`file` or `file:line`). */
  touched?: (f: Finding) => boolean;
  /** One Markdown line under the verdict saying what was scanned (e.g. the PR's changed files). */
  scope?: string;
  /** The gate input's name on this face (`fail-on`, the Azure task's `failOn`). */
  gateName?: string;
}

const ICON: Record<Level, string> = { error: '🔴', warning: '🟠', note: '🔵' };

/**
 * Escapes text for a Markdown table cell, completely: line breaks of every kind and other
 * controls become visible escapes (a lone CR must not end the row), and every character that
 * opens Markdown or HTML syntax (`| [ ] ( ) ! * _ ~ # \``, `<`, `>`, `&`) is escaped, so a name
 * from a pull request cannot add rows, headings, links or images.
 */
export function cell(text: string): string {
  return safePath(text)
    .replace(/[\\`*_~[\]()!|#{}]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A link target that cannot end the link early: parentheses, spaces and angle brackets percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/[()<>\s"'`\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The one-line verdict used by summaries and CI results. */
export function verdict(result: ScanResult, failOn: Level | 'never', gateName = 'fail-on'): { failed: boolean; text: string } {
  const counts = countByLevel(result.findings);
  const failed = someFinding(result.findings, (f) => gates(f, failOn));
  const total = counts.error + counts.warning + counts.note;
  const parts = `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.note} note${counts.note === 1 ? '' : 's'}`;
  if (total === 0) return { failed, text: `podguard found no problems in ${scannedSummary(result)}.` };
  const gate =
    failOn === 'never'
      ? `the gate is off (${gateName}: never)`
      : failed
        ? `failing at ${gateName}: ${failOn}`
        : `nothing at or above ${gateName}: ${failOn}`;
  return { failed, text: `podguard found ${parts} in ${scannedSummary(result)}; ${gate}.` };
}

/** The shortest table row in bytes: icon, `note`, a one-character file and line, a one-character rule, no message. */
const MIN_ROW_BYTES = 29;

/** What one pass over the unsuppressed findings counts for the summary. */
interface Seen {
  visible: number;
  baselined: number;
  counts: Record<Level, number>;
  byRule: Map<string, number>;
  /** Some finding is on a line the change touched. */
  touched: boolean;
}

function* visibleOf(result: ScanResult): Generator<Finding> {
  for (const f of result.findings) if (!f.suppression) yield f;
}

function look(result: ScanResult, touched: ((f: Finding) => boolean) | undefined): Seen {
  const seen: Seen = { visible: 0, baselined: 0, counts: { error: 0, warning: 0, note: 0 }, byRule: new Map(), touched: false };
  for (const f of visibleOf(result)) {
    seen.visible++;
    if (f.baselined) seen.baselined++;
    seen.counts[displayLevel(f)]++;
    seen.byRule.set(f.ruleId, (seen.byRule.get(f.ruleId) ?? 0) + 1);
    if (!seen.touched && touched?.(f)) seen.touched = true;
  }
  return seen;
}

/** The verdict, notices, counts and the per-rule table (Markdown lines, not yet redacted). */
function summaryHead(result: ScanResult, opts: SummaryOptions, seen: Seen): string[] {
  const { failed, text } = verdict(result, opts.failOn, opts.gateName);
  const { byRule, counts } = seen;
  const suppressed = result.findings.length - seen.visible;
  const head: string[] = [];
  head.push(`## ${failed ? '❌' : '✅'} podguard`, '', result.redactor.redact(text), '');
  if (opts.scope) head.push(cell(opts.scope), '');
  for (const n of result.notices ?? []) head.push(`ℹ️ ${cell(n)}`, '');
  const templates = result.templatesNotRendered?.length ?? 0;
  if (templates)
    head.push(
      `⚠️ ${templates} Helm chart template${templates === 1 ? ' was' : 's were'} not checked: nothing rendered ${templates === 1 ? 'it' : 'them'}.`,
      '',
    );
  head.push('| Level | Findings |', '| --- | ---: |');
  for (const l of ['error', 'warning', 'note'] as const) head.push(`| ${ICON[l]} ${l} | ${counts[l]} |`);
  const known = seen.baselined;
  if (known) head.push(`| known from the baseline (counted as notes) | ${known} |`);
  if (suppressed) head.push(`| suppressed | ${suppressed} |`);
  head.push('');
  const rules = new Map(result.rules.map((r) => [r.meta.id, r]));
  if (byRule.size) {
    head.push('| Rule | Findings | What it finds |', '| --- | ---: | --- |');
    for (const [id, n] of [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      head.push(`| [\`${id}\`](${ruleDocUrl(id)}) | ${n} | ${cell(rules.get(id)?.meta.title ?? '')} |`);
    }
    head.push('');
  }
  return head;
}

/** How to fix each rule found, and how to suppress a finding (Markdown lines; none without findings). */
function summaryFixes(result: ScanResult, byRule: ReadonlyMap<string, number>): string[] {
  if (!byRule.size) return [];
  const rules = new Map(result.rules.map((r) => [r.meta.id, r]));
  const fixes: string[] = ['### How to fix', ''];
  for (const id of [...byRule.keys()].sort()) {
    const r = rules.get(id);
    if (!r) continue;
    fixes.push(`<details><summary><code>${id}</code>: ${cell(r.meta.title)}</summary>`, '', fixText(r.meta), '', '</details>', '');
  }
  fixes.push(
    '### Suppressing a finding',
    '',
    'Add a comment with a reason on the line above the finding (or at the end of its line):',
    '',
    '```yaml',
    '# podguard-ignore <rule-id> -- <why this is acceptable>',
    '```',
    '',
    `On a Kubernetes object, the annotation \`podguard.dev/ignore: "<rule-id> -- <reason>"\` does the same; to accept every existing finding and gate only on new ones, use a baseline ([Tuning podguard](${HOMEPAGE}#tuning-podguard)).`,
    '',
  );
  return fixes;
}

/** The findings table, most severe first, cut to fit `budget` bytes (redacted rows). */
function summaryRows(result: ScanResult, opts: SummaryOptions, seen: Seen, budget: { used: number; max: number }): string[] {
  const red = result.redactor;
  const rows: string[] = [];
  if (seen.visible) {
    rows.push('### Findings', '', '| Level | Location | Rule | Message |', '| --- | --- | --- | --- |');
  }
  let size = budget.used;
  let shown = 0;
  // No row is shorter than MIN_ROW_BYTES: more than budget / MIN_ROW_BYTES findings never fit.
  const ordered = topBySeverity(visibleOf(result), Math.floor(budget.max / MIN_ROW_BYTES) + 1, opts.touched);
  for (const f of ordered) {
    const level = displayLevel(f);
    const where = `${f.file}:${f.range.start.line}`;
    const url = opts.link?.(f.file, f.range.start.line);
    const loc = url ? `[${cell(where)}](${linkTarget(url)})` : cell(where);
    const mark = opts.touched?.(f) ? ' ✏️' : '';
    const row = red.redact(
      `| ${ICON[level]} ${level}${f.baselined ? ' (baseline)' : ''} | ${loc}${mark} | \`${f.ruleId}\` | ${cell(f.message)} |`,
    );
    const bytes = Buffer.byteLength(row) + 1;
    if (size + bytes > budget.max) break;
    size += bytes;
    rows.push(row);
    shown++;
  }
  if (shown < seen.visible)
    rows.push('', `_…and ${seen.visible - shown} more findings, left out to keep this summary under its size limit: see the SARIF file._`);
  if (seen.touched) rows.push('', '✏️ on a line this change touched.');
  if (rows.length) rows.push('');
  return rows;
}

/** Renders the Markdown summary. */
export function renderSummary(result: ScanResult, opts: SummaryOptions): string {
  const red = result.redactor;
  const seen = look(result, opts.touched);
  const headText = red.redact(summaryHead(result, opts, seen).join('\n'));
  const tail = red.redact(summaryFixes(result, seen.byRule).join('\n'));
  const used = Buffer.byteLength(headText) + Buffer.byteLength(tail) + 400;
  const rows = summaryRows(result, opts, seen, { used, max: opts.maxBytes ?? 1000 * 1024 });
  return `${headText}\n${rows.join('\n')}\n${tail}`;
}

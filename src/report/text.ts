/** Human text output: findings grouped by file, then the fix for each rule that fired. */
import { countByLevel } from '../engine.js';
import type { ScanResult } from '../engine.js';
import { KIND_LABEL } from '../parse/source.js';
import { FILE_KINDS } from '../types.js';
import type { Level } from '../types.js';
import { safePath } from './safe-text.js';

/** Text styling (ANSI colours when enabled). */
export interface TextStyle {
  color: boolean;
}

const COLORS: Record<Level | 'dim' | 'bold', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  note: ['\u001b[36m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 Kubernetes manifests, 1 Dockerfile" (kinds with zero files are omitted). */
export function scannedSummary(result: ScanResult): string {
  const parts = FILE_KINDS.filter((k) => result.filesScanned[k] > 0).map((k) => plural(result.filesScanned[k], KIND_LABEL[k]));
  return parts.length ? parts.join(', ') : 'no Kubernetes, Dockerfile, compose or ACI files';
}

/** How the scan ran, for debug logs: files, time, threads (not in reports: those stay deterministic). */
export function scanStats(result: ScanResult): string {
  const files = FILE_KINDS.reduce((n, k) => n + result.filesScanned[k], 0);
  return `podguard: checked ${plural(files, 'file')} in ${(result.durationMs / 1000).toFixed(1)} s on ${plural(result.threads, 'thread')}`;
}

/** Indents every line of a block. */
function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** A file name with control characters escaped: a newline in a name must not forge an output line. */
function printablePath(path: string): string {
  return safePath(path);
}

/** Renders the text report. */
export function toText(result: ScanResult, style: TextStyle = { color: false }): string {
  const c = (k: keyof typeof COLORS, s: string): string => (style.color ? COLORS[k][0] + s + COLORS[k][1] : s);
  const red = result.redactor;
  const lines: string[] = (result.notices ?? []).map((n) => `podguard: ${n}`);
  if (lines.length) lines.push('');
  const visible = result.findings.filter((f) => !f.suppression);
  const byFile = new Map<string, typeof visible>();
  for (const f of visible) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const rulesById = new Map(result.rules.map((r) => [r.meta.id, r]));
  // Long rule ids (service-account-token-automount) must not push their message out of line.
  const idWidth = Math.max(28, ...visible.map((f) => f.ruleId.length));
  for (const [file, findings] of byFile) {
    lines.push(c('bold', printablePath(file)));
    for (const f of findings) {
      const level = f.baselined ? 'note' : f.level;
      const where = `${f.range.start.line}:${f.range.start.column}`.padEnd(7);
      const tag = f.baselined ? ' (baseline)' : '';
      lines.push(`  ${c('dim', where)} ${c(level, level.padEnd(7))} ${f.ruleId.padEnd(idWidth)} ${red.redact(f.message)}${tag}`);
    }
    lines.push('');
  }
  const fired = [...new Set(visible.map((f) => f.ruleId))].sort();
  if (fired.length) {
    lines.push(c('bold', 'How to fix'));
    for (const id of fired) {
      const rule = rulesById.get(id);
      if (!rule) continue;
      lines.push(`  ${c('bold', id)}: ${rule.meta.title}`);
      lines.push(indent(`Why: ${rule.meta.why}`, '    '));
      lines.push(indent(rule.meta.fix, '    '));
      lines.push('');
    }
  }
  const counts = countByLevel(result.findings);
  const suppressed = result.findings.length - visible.length;
  const total = visible.length;
  const verdict =
    total === 0
      ? 'no problems found'
      : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')})`;
  const known = visible.filter((f) => f.baselined).length;
  const templates = result.templatesNotRendered?.length ?? 0;
  const extras = [
    known ? `${known} known from the baseline (notes, not gating)` : '',
    suppressed ? `${suppressed} suppressed` : '',
    templates ? `${plural(templates, 'Helm chart template')} not checked (not rendered)` : '',
  ]
    .filter(Boolean)
    .map((x) => `; ${x}`)
    .join('');
  lines.push(`podguard: ${verdict} in ${scannedSummary(result)}${extras}.`);
  return `${lines.join('\n')}\n`;
}

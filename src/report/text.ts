/**
 * Human text output: findings grouped by file, then a tally per rule with its title and doc link;
 * the rules' full why/fix text only when asked (`--explain`, `podguard rules <id>`). Every line
 * leaves through one writer (`TextSink.line`), so one place decides how data is made safe.
 */
import type { ScanReport as ScanResult } from '../engine.js';
import { byFile, displayLevel } from '../findings.js';
import { KIND_LABEL } from '../parse/source.js';
import type { Rule } from '../rule.js';
import { fixText } from '../rule.js';
import { FILE_KINDS } from '../types.js';
import type { Finding, Level } from '../types.js';
import { ruleDocUrl } from '../version.js';
import { renderSummaryLine } from '../render/index.js';
import { safePath } from '../safe-text.js';

/** Text styling and what to show. */
export interface TextStyle {
  /** ANSI colours. */
  color: boolean;
  /** Each fired rule's why and fix after the tally. */
  explain?: boolean;
  /** Baselined findings listed (as notes) instead of only counted. */
  showBaselined?: boolean;
}

/** Where text lines go. `group`/`endGroup` fold long blocks in CI logs (absent: no folding). */
export interface TextSink {
  /** One line, without its newline. The only way report text leaves this module. */
  line(text: string): void;
  /** Opens a collapsible block titled `title` (the title is podguard's own words, never data). */
  group?(title: string): void;
  endGroup?(): void;
}

const COLORS: Record<Level | 'dim' | 'bold', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  note: ['\u001b[36m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

/** Blocks longer than this many lines are folded when the sink can fold. */
const FOLD_AFTER = 20;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 Kubernetes manifests, 1 Dockerfile" (kinds with zero files are omitted). */
export function scannedSummary(result: ScanResult): string {
  const parts = FILE_KINDS.filter((k) => result.filesScanned[k] > 0).map((k) => plural(result.filesScanned[k], KIND_LABEL[k]));
  const scanned = parts.length ? parts.join(', ') : '0 files (no Kubernetes manifest, Dockerfile, compose or ACI file found)';
  const render = renderSummaryLine(result.render);
  return render ? `${scanned} (${render})` : scanned;
}

/** How the scan ran, for debug logs: files, time, threads (not in reports: those stay deterministic). */
export function scanStats(result: ScanResult): string {
  const files = FILE_KINDS.reduce((n, k) => n + result.filesScanned[k], 0);
  return `podguard: checked ${plural(files, 'file')} in ${(result.durationMs / 1000).toFixed(1)} s on ${plural(result.threads, 'thread')}`;
}

/**
 * Whether to colour: `--no-color` and `FORCE_COLOR=0` turn colours off, any other `FORCE_COLOR`
 * turns them on (CI logs render ANSI), a non-empty `NO_COLOR` turns them off, else a TTY decides.
 */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if ((env.NO_COLOR ?? '') !== '') return false;
  return isTTY;
}

/** A file name with control characters escaped: a newline in a name must not forge an output line. */
function printablePath(path: string): string {
  return safePath(path);
}

/** A rule's full explanation: title, why, fix and doc link (`--explain`, `podguard rules <id>`). */
export function explainRule(rule: Rule, line: (text: string) => void, style: Pick<TextStyle, 'color'> = { color: false }): void {
  const bold = (s: string): string => (style.color ? COLORS.bold[0] + s + COLORS.bold[1] : s);
  const m = rule.meta;
  line(`${bold(m.id)}: ${m.title} (${m.level})`);
  const block = (text: string): void => {
    for (const l of text.split('\n')) line(l ? `    ${l}` : '');
  };
  block(m.description);
  block(`Why: ${m.why}`);
  block(fixText(m));
  line(`    Docs: ${ruleDocUrl(m.id)}`);
}

/** What the parts of the text report share: the result, the style, the sink and the shown findings. */
interface TextReport {
  result: ScanResult;
  style: TextStyle;
  sink: TextSink;
  c: (k: keyof typeof COLORS, s: string) => string;
  line: (text: string) => void;
  /** Findings listed (not suppressed; baselined ones only with showBaselined), read again each call. */
  shown: () => Generator<Finding>;
  /** What one pass over the findings counted first. */
  stats: TextStats;
}

/** The counts the report needs before it lists anything (a large scan's findings are read twice, never held). */
interface TextStats {
  /** Findings listed, and the files they are in. */
  total: number;
  files: number;
  /** Listed findings per level. */
  counts: Record<Level, number>;
  /** Findings per rule that fired, with the most severe level shown. */
  tally: Map<string, { n: number; level: Level }>;
  suppressed: number;
  /** Unsuppressed baselined findings (listed or not). */
  baselined: number;
  /** Width of the rule id column. */
  idWidth: number;
}

function textStats(result: ScanResult, shown: () => Generator<Finding>): TextStats {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  const tally = new Map<string, { n: number; level: Level }>();
  let total = 0;
  let files = 0;
  let last: string | undefined;
  // Long rule ids (service-account-token-automount) must not push their message out of line.
  let idWidth = 28;
  for (const f of shown()) {
    const level = displayLevel(f);
    total++;
    counts[level]++;
    if (f.file !== last) files++;
    last = f.file;
    idWidth = Math.max(idWidth, f.ruleId.length);
    const known = tally.get(f.ruleId);
    if (!known) tally.set(f.ruleId, { n: 1, level });
    else {
      known.n++;
      if (level === 'error' || (level === 'warning' && known.level === 'note')) known.level = level;
    }
  }
  let suppressed = 0;
  let baselined = 0;
  for (const f of result.findings) {
    if (f.suppression) suppressed++;
    else if (f.baselined) baselined++;
  }
  return { total, files, counts, tally, suppressed, baselined, idWidth };
}

/** Runs `body` in a folded log group when the sink can fold and the part is long. */
function fold<T>(t: TextReport, title: string, size: number, body: () => T): T {
  const { sink } = t;
  const folding = size > FOLD_AFTER && sink.group !== undefined && sink.endGroup !== undefined;
  if (folding) sink.group!(title);
  try {
    return body();
  } finally {
    if (folding) sink.endGroup!();
  }
}

/** The findings, file by file. */
function writeFindings(t: TextReport): void {
  const { c, line, shown } = t;
  const { total, files, idWidth } = t.stats;
  const red = t.result.redactor;
  fold(t, `podguard: ${plural(total, 'finding')} in ${plural(files, 'file')}`, total + 2 * files, () => {
    for (const [file, findings] of byFile(shown())) {
      line(c('bold', printablePath(file)));
      for (const f of findings) {
        const level = displayLevel(f);
        const where = `${f.range.start.line}:${f.range.start.column}`.padEnd(7);
        const tag = f.baselined ? ' (baseline)' : '';
        line(`  ${c('dim', where)} ${c(level, level.padEnd(7))} ${f.ruleId.padEnd(idWidth)} ${red.redact(f.message)}${tag}`);
      }
      line('');
    }
  });
}

/** The rules that fired, with counts, titles and doc links; how to fix them with `explain`. */
function writeRules(t: TextReport): void {
  const { c, line, style } = t;
  const { tally, idWidth } = t.stats;
  const rulesById = new Map(t.result.rules.map((r) => [r.meta.id, r]));
  const fired = [...tally.keys()].sort();
  if (!fired.length) return;
  const countWidth = Math.max(...[...tally.values()].map((x) => String(x.n).length));
  const titleWidth = Math.max(...fired.map((id) => rulesById.get(id)?.meta.title.length ?? 0));
  line(c('bold', 'Rules'));
  for (const id of fired) {
    const { n, level } = tally.get(id)!;
    const title = rulesById.get(id)?.meta.title ?? '';
    line(
      `  ${String(n).padStart(countWidth)} ${c(level, level.padEnd(7))} ${id.padEnd(idWidth)} ${title.padEnd(titleWidth)}  ${ruleDocUrl(id)}`,
    );
  }
  line('');
  if (style.explain) {
    fold(t, 'podguard: how to fix', fired.length * 8, () => {
      line(c('bold', 'How to fix'));
      for (const id of fired) {
        const rule = rulesById.get(id);
        if (!rule) continue;
        explainRule(rule, (l) => line(l ? `  ${l}` : l), style);
        line('');
      }
    });
  } else {
    line(c('dim', 'Why each rule matters and how to fix it: podguard scan --explain, or podguard rules <id>.'));
    line('');
  }
}

/** The closing line: the verdict and what was left out (baselined, suppressed, not rendered). */
function writeVerdict(t: TextReport): void {
  const { result, style } = t;
  const { counts, total, suppressed, baselined } = t.stats;
  const files = FILE_KINDS.reduce((n, k) => n + result.filesScanned[k], 0);
  const verdict =
    total === 0
      ? 'no problems found'
      : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')})`;
  const known = baselined
    ? style.showBaselined
      ? `${baselined} known from the baseline (notes, not gating)`
      : `${baselined} known from the baseline (hidden; --show-baselined lists them)`
    : '';
  const templates = result.templatesNotRendered?.length ?? 0;
  const extras = [
    known,
    suppressed ? `${suppressed} suppressed` : '',
    templates ? `${plural(templates, 'Helm chart template')} not checked (not rendered)` : '',
  ]
    .filter(Boolean)
    .map((x) => `; ${x}`)
    .join('');
  if (files === 0 && total === 0) t.line(`podguard: no Kubernetes manifest, Dockerfile, compose or ACI file found to check${extras}.`);
  else t.line(`podguard: ${verdict} in ${scannedSummary(result)}${extras}.`);
}

/** Writes the text report to `sink`. */
export function writeText(result: ScanResult, style: TextStyle, sink: TextSink): void {
  const c = (k: keyof typeof COLORS, s: string): string => (style.color ? COLORS[k][0] + s + COLORS[k][1] : s);
  const line = (text: string): void => sink.line(text);
  for (const n of result.notices ?? []) line(`podguard: ${n}`);
  if (result.notices?.length) line('');
  const shown = function* (): Generator<Finding> {
    for (const f of result.findings) if (!f.suppression && (style.showBaselined || !f.baselined)) yield f;
  };
  const t: TextReport = { result, style, sink, c, line, shown, stats: textStats(result, shown) };
  writeFindings(t);
  writeRules(t);
  writeVerdict(t);
}

/** Renders the text report as one string (no folding). */
export function toText(result: ScanResult, style: TextStyle = { color: false }): string {
  const lines: string[] = [];
  writeText(result, style, { line: (t) => void lines.push(t) });
  return `${lines.join('\n')}\n`;
}

/**
 * Suppression directives, read once per file while its text is at hand: comments
 * (`# podguard-ignore`, `# podguard-ignore-file`) and Kubernetes annotations
 * (`podguard.dev/ignore`, `podguard.dev/ignore.<container>`). Only compact, position-based data
 * is kept, so findings reported later (cross-file `finish()` rules) can still be matched.
 */
import type { ParsedFile, YamlFile } from '../parse/index.js';
import type { SourceFile } from '../parse/source.js';
import { asMap, asText, get } from '../parse/yaml.js';
import type { YMap, YNode } from '../parse/yaml.js';
import type { Position, Range } from '../types.js';
import { isCalendarDate } from '../config/ignore.js';
import { ownCopy } from '../own-copy.js';

/** A problem with how a directive is written (reported as `invalid-suppression`). */
export interface DirectiveProblem {
  messageId: 'badDate' | 'noRules' | 'badToken' | 'unknownContainer' | 'trailingDockerfile';
  data: Record<string, string>;
}

/** What a directive covers. */
export type DirectiveScope =
  /** Findings starting on one of these lines (inclusive). */
  | { kind: 'lines'; from: number; to: number }
  /** Every finding in the file. */
  | { kind: 'file' }
  /** Findings inside an object (or its pod template); `containers` narrows to named containers. */
  | { kind: 'region'; range: Range; containers?: { range: Range; label: string }[] };

/** One suppression directive. */
export interface Directive {
  /** How it was written: `comment`, `file comment` or `annotation` (used in messages). */
  form: 'comment' | 'file comment' | 'annotation';
  /** Rule ids as written, in order, without duplicates. */
  ruleIds: string[];
  /** The reason after `--` ('' when missing). */
  reason: string;
  /** Last day it works (`YYYY-MM-DD`), inclusive. */
  until?: string;
  /** Where the directive is written (findings about it point here). */
  range: Range;
  scope: DirectiveScope;
  problems: DirectiveProblem[];
  /** The directive text as written (identity for fingerprints of findings about it). */
  text: string;
}

const ANNOTATION = 'podguard.dev/ignore';
const COMMENT = /(^|[ \t])#[ \t]*podguard-ignore(-file)?(?=[ \t]|$)([^\r\n]*)/;
// A registry rule id, or policy/<name> for an admission policy (names are DNS subdomains).
const RULE_ID = /^([a-z0-9]+(-[a-z0-9]+)*|policy\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/** Parses `<rule-id>[,<rule-id>] [until=YYYY-MM-DD] -- <reason>`. */
export function parseDirectiveBody(body: string): Pick<Directive, 'ruleIds' | 'reason' | 'until' | 'problems'> {
  const sep = body.search(/(^|\s)--(\s|$)/);
  const head = sep < 0 ? body : body.slice(0, sep);
  const reason =
    sep < 0
      ? ''
      : body
          .slice(sep)
          .replace(/^\s*--/, '')
          .trim();
  const ruleIds: string[] = [];
  const problems: DirectiveProblem[] = [];
  let until: string | undefined;
  for (const token of head.split(/[\s,]+/).filter(Boolean)) {
    if (token.startsWith('until=')) {
      const value = token.slice('until='.length);
      if (isCalendarDate(value)) until = value;
      else problems.push({ messageId: 'badDate', data: { value: ownCopy(value) } });
    } else if (RULE_ID.test(token)) {
      if (!ruleIds.includes(token)) ruleIds.push(token);
    } else {
      // `Privileged-Container`: the id, capitalised. Any other token gets no guess.
      const lower = token.toLowerCase();
      const hint = RULE_ID.test(lower) ? ` (rule ids are lower case: did you mean "${lower}"?)` : '';
      problems.push({ messageId: 'badToken', data: { token: ownCopy(token), hint: ownCopy(hint) } });
    }
  }
  if (ruleIds.length === 0 && !problems.some((p) => p.messageId === 'badToken')) problems.push({ messageId: 'noRules', data: {} });
  return { ruleIds: ruleIds.map(ownCopy), reason: ownCopy(reason), ...(until ? { until: ownCopy(until) } : {}), problems };
}

/** Scalar ranges (offsets) of a YAML tree, so `#` inside a string is not taken for a comment. */
function scalarSpans(node: YNode | null | undefined, out: [number, number][]): void {
  if (!node) return;
  if (node.kind === 'scalar') out.push([node.start, node.end]);
  else if (node.kind === 'seq') for (const i of node.items) scalarSpans(i, out);
  else
    for (const p of node.pairs) {
      scalarSpans(p.key, out);
      scalarSpans(p.value, out);
    }
}

/** True for a line holding nothing but a comment. */
function isCommentLine(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

/** The lines an instruction starting at `line` (1-based) spans, following `\` continuations. */
function instructionEnd(lines: readonly string[], line: number, escape: string): number {
  let i = line - 1;
  while (i < lines.length - 1) {
    const cur = lines[i]!;
    if (!isCommentLine(cur) && !cur.trimEnd().endsWith(escape)) break;
    i++;
  }
  return i + 1;
}

function commentDirectives(file: ParsedFile, out: Directive[]): void {
  const source = file.source;
  const lines = source.text.split(/\r\n|\r|\n/);
  const dockerfile = file.kind === 'dockerfile';
  let spans: [number, number][] | undefined;
  const escape = dockerfile ? (/^#[ \t]*escape[ \t]*=[ \t]*(\S)/im.exec(source.text)?.[1] ?? '\\') : '\\';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!text.includes('podguard-ignore')) continue;
    const m = COMMENT.exec(text);
    if (!m) continue;
    const hashCol = m.index + m[1]!.length;
    const ownLine = text.slice(0, hashCol).trim() === '';
    const lineNo = i + 1;
    if (!dockerfile) {
      spans ??= (() => {
        const acc: [number, number][] = [];
        for (const d of (file as YamlFile).docs) scalarSpans(d.root, acc);
        return acc;
      })();
      const offset = source.lines.lineStart(lineNo) + hashCol;
      if (spans.some(([a, b]) => offset >= a && offset < b)) continue;
    }
    const range: Range = { start: { line: lineNo, column: hashCol + 1 }, end: { line: lineNo, column: text.length + 1 } };
    const body = parseDirectiveBody(m[3]!);
    const fileWide = m[2] === '-file';
    let scope: DirectiveScope;
    if (fileWide) scope = { kind: 'file' };
    else if (!ownLine) {
      if (dockerfile) {
        // Dockerfiles have no end-of-line comments: the text would reach the instruction.
        out.push({
          form: 'comment',
          ...body,
          problems: [{ messageId: 'trailingDockerfile', data: {} }],
          range,
          scope: { kind: 'lines', from: lineNo, to: lineNo },
          text: m[0].trim(),
        });
        continue;
      }
      scope = { kind: 'lines', from: lineNo, to: lineNo };
    } else {
      let target = lineNo + 1;
      while (target <= lines.length && isCommentLine(lines[target - 1]!)) target++;
      scope = { kind: 'lines', from: target, to: dockerfile ? instructionEnd(lines, target, escape) : target };
    }
    out.push({ form: fileWide ? 'file comment' : 'comment', ...body, range, scope, text: ownCopy(m[0].trim()) });
  }
}

function nodeRange(source: SourceFile, node: { start: number; end: number }): Range {
  return source.lines.range(node.start, node.end);
}

function union(a: Range, b: Range): Range {
  const before = (x: Position, y: Position): boolean => x.line < y.line || (x.line === y.line && x.column < y.column);
  return { start: before(a.start, b.start) ? a.start : b.start, end: before(a.end, b.end) ? b.end : a.end };
}

function annotationDirectives(file: YamlFile, out: Directive[]): void {
  const source = file.source;
  for (const obj of file.objects) {
    const workload = file.workloads.find((w) => w.object === obj);
    const objMeta = asMap(get(obj.node, 'metadata'));
    const metas: { meta: YMap | undefined; range: Range }[] = [{ meta: objMeta, range: nodeRange(source, obj.node) }];
    if (workload?.podMeta && workload.podMeta !== objMeta) {
      metas.push({ meta: workload.podMeta, range: union(nodeRange(source, workload.podMeta), nodeRange(source, workload.podSpec)) });
    }
    for (const { meta, range: region } of metas) {
      const annotations = asMap(get(meta, 'annotations'));
      for (const pair of annotations?.pairs ?? []) {
        const key = pair.keyText;
        if (key !== ANNOTATION && !key.startsWith(`${ANNOTATION}.`)) continue;
        const range = source.lines.range(pair.key.start, Math.max(pair.key.end, pair.value.end));
        const body = parseDirectiveBody(asText(pair.value) ?? '');
        const text = ownCopy(`${key}: ${asText(pair.value) ?? ''}`);
        if (key === ANNOTATION) {
          out.push({ form: 'annotation', ...body, range, scope: { kind: 'region', range: region }, text });
          continue;
        }
        const name = key.slice(ANNOTATION.length + 1);
        const containers = (workload?.containers ?? [])
          .filter((c) => c.name === name)
          .map((c) => ({ range: nodeRange(source, c.node), label: ownCopy(c.label) }));
        if (containers.length === 0)
          body.problems.push({ messageId: 'unknownContainer', data: { container: ownCopy(name), object: obj.label } });
        out.push({ form: 'annotation', ...body, range, scope: { kind: 'region', range: region, containers }, text });
      }
    }
  }
}

/** Every suppression directive of a parsed file (empty for most files: a cheap text check first). */
export function readDirectives(file: ParsedFile): Directive[] {
  const text = file.source.text;
  const out: Directive[] = [];
  if (text.includes('podguard-ignore')) commentDirectives(file, out);
  if (file.kind === 'kubernetes' && text.includes(ANNOTATION)) annotationDirectives(file, out);
  return out;
}

/**
 * YAML with exact positions.
 *
 * Why js-yaml 4's `listener`: the listener reports where each node opens and closes; from those
 * offsets we build a small positioned tree in the same pass (no second parse for positions).
 * js-yaml 4 with the listener stays close to a bare `loadAll`; js-yaml 5's event parser and
 * `yaml`'s parseAllDocuments were several times slower (the bench's parser floor is the
 * reference: scripts/bench.mjs).
 *
 * The listener runs for every node, so it is kept lean (see `TreeBuilder`): frames are reused and
 * carry the expanded sizes, node properties are read only when a `!` or `&` is there, characters
 * are compared by code rather than by regex, and `resolveYaml11` dispatches on the first
 * character.
 *
 * Values are read as Kubernetes reads them: its go-yaml fork uses YAML 1.1 scalars, so
 * `privileged: yes` and `hostNetwork: on` are booleans (a YAML 1.2 reading would miss them).
 * The parser runs with the failsafe schema (every scalar a string, any tag accepted) and
 * `resolveYaml11` types plain scalars.
 */
import jsyaml from 'js-yaml';
import type { State } from 'js-yaml';

/** A scalar: `text` is the decoded string, `value` its YAML 1.1 reading. */
export interface YScalar {
  kind: 'scalar';
  start: number;
  end: number;
  text: string;
  value: string | number | boolean | null;
  /** True for plain (unquoted, non-block) scalars. */
  plain: boolean;
  tag?: string;
}
/** One key/value pair of a mapping. */
export interface YPair {
  key: YNode;
  /** The key as text (`<<` for merge keys). */
  keyText: string;
  value: YNode;
}
/** A mapping. Duplicate keys are kept in `pairs`; lookups return the last, as Kubernetes does. */
export interface YMap {
  kind: 'map';
  start: number;
  end: number;
  pairs: YPair[];
  tag?: string;
}
/** A sequence. */
export interface YSeq {
  kind: 'seq';
  start: number;
  end: number;
  items: YNode[];
  tag?: string;
}
/** Any YAML node (aliases are resolved to the anchored node). */
export type YNode = YScalar | YMap | YSeq;

/** One YAML document of a file. */
export interface YDoc {
  /** 0-based index of the document in its file. */
  index: number;
  root: YNode | null;
}

/** A problem found while parsing, positioned by offset. */
export interface YamlProblem {
  /** `dockerfile`: a Dockerfile problem that does not stop the file from being checked. */
  kind: 'syntax' | 'duplicate-key' | 'alias-limit' | 'dockerfile';
  message: string;
  offset: number;
  endOffset?: number;
}

/** The result of parsing one YAML (or JSON) file. */
export interface ParsedYaml {
  docs: YDoc[];
  problems: YamlProblem[];
}

/** Parser limits (defence against hostile input). */
export interface YamlLimits {
  maxDepth: number;
  /** Maximum expanded node count per document, counting alias expansions (alias bombs). */
  maxExpandedNodes: number;
}

const DEFAULT_LIMITS: YamlLimits = { maxDepth: 500, maxExpandedNodes: 2_000_000 };
const STANDARD_TAG = /^!!(str|int|float|bool|null|map|seq|binary|timestamp|merge)$|^tag:yaml\.org,2002:/;

class YamlBuildError extends Error {
  constructor(readonly problem: YamlProblem) {
    super(problem.message);
  }
}

/** YAML 1.1 plain-scalar resolution (go-yaml's): booleans, nulls, ints, floats. */
const Y11_INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$/;
const Y11_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * Types a plain scalar the way YAML 1.1 does (go-yaml's resolution): null is `~`, `null`,
 * `Null`, `NULL` or empty; true is `y Y yes Yes YES true True TRUE on On ON`; false is
 * `n N no No NO false False FALSE off Off OFF`; then ints and floats; anything else is a string.
 *
 * Hot path (runs for every plain scalar), so it dispatches on the first character rather than
 * testing patterns: an int or float can only start with a digit, `-`, `+` or `.`, and each null
 * or boolean word is compared only against the text that starts with its letter.
 */
export function resolveYaml11(text: string): string | number | boolean | null {
  const c = text.charCodeAt(0); // NaN for ''
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) return resolveNumber(text, c);
  const len = text.length;
  if (len > 5) return text; // longer than any null or boolean word
  switch (c) {
    case 126: // ~
      return len === 1 ? null : text;
    case 110: // n
      return len === 1 || text === 'no' ? false : text === 'null' ? null : text;
    case 78: // N
      return len === 1 || text === 'No' || text === 'NO' ? false : text === 'Null' || text === 'NULL' ? null : text;
    case 121: // y
      return len === 1 || text === 'yes' ? true : text;
    case 89: // Y
      return len === 1 || text === 'Yes' || text === 'YES' ? true : text;
    case 116: // t
      return text === 'true' ? true : text;
    case 84: // T
      return text === 'True' || text === 'TRUE' ? true : text;
    case 102: // f
      return text === 'false' ? false : text;
    case 70: // F
      return text === 'False' || text === 'FALSE' ? false : text;
    case 111: // o
      return text === 'on' ? true : text === 'off' ? false : text;
    case 79: // O
      return text === 'On' || text === 'ON' ? true : text === 'Off' || text === 'OFF' ? false : text;
    default:
      return len === 0 ? null : text;
  }
}

/** `resolveYaml11` for text whose first character (code `c`) is a digit, `-`, `+` or `.`. */
function resolveNumber(text: string, c: number): string | number {
  if (c >= 48 && c <= 57) {
    let i = 1;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === text.length) {
      // All digits: a plain decimal (`0`, or no leading 0) is Number(text), as below; `0755` is octal.
      if (c !== 48 || i === 1) return Number(text);
    } else {
      // After a leading digit run, an int or float goes on with `_`, `.`, or `b`/`x` (`0b`, `0x`):
      // anything else (`100m`, `128Mi`, `1:30`) is a string.
      const d = text.charCodeAt(i);
      if (d !== 95 && d !== 46 && d !== 98 && d !== 120) return text;
    }
  }
  if (Y11_INT.test(text)) {
    const t = text.replace(/_/g, '');
    const sign = t.startsWith('-') ? -1 : 1;
    const body = t.replace(/^[-+]/, '');
    if (body.startsWith('0b')) return sign * parseInt(body.slice(2), 2);
    if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
    if (body.length > 1 && body.startsWith('0')) return sign * parseInt(body, 8);
    return sign * Number(body);
  }
  if (Y11_FLOAT.test(text)) {
    const t = text.replace(/_/g, '');
    if (/\.(inf|Inf|INF)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/nan/i.test(t)) return NaN;
    return Number(t);
  }
  return text;
}

/** The failsafe schema that accepts any tag: tags are read from the source, not constructed. */
const ANY_TAG = (['scalar', 'sequence', 'mapping'] as const).flatMap((kind) =>
  ['tag:yaml.org,2002:', '!', ''].map((prefix) => new jsyaml.Type(prefix, { kind, multi: true, construct: (data: unknown) => data })),
);
const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend(ANY_TAG);

/** One node js-yaml has opened and not yet closed. Frames are reused (one per depth). */
interface Frame {
  /** Offset where js-yaml opened the node (before separation space and properties). */
  open: number;
  /** The children closed so far, in order (a mapping's keys and values alternate); null for none. */
  children: YNode[] | null;
  /** What js-yaml constructed for the first child (to recognise a node js-yaml wrapped in itself). */
  first: unknown;
  /** Sum of the children's expanded sizes (an alias counts its target's whole size). */
  size: number;
}

/** Skips spaces, line breaks and comments from `i`. */
function skipSpace(src: string, i: number, end: number): number {
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++;
    else if (c === 35) {
      while (i < end && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
    } else break;
  }
  return i;
}

/** Where a tag, anchor or alias name ends: at white space (`\s`), `,`, `[`, `]`, `{` or `}`. */
const NAME_END = /[\s,[\]{}]/;

interface Properties {
  at: number;
  tag?: string;
  anchor?: string;
}

/**
 * Reads node properties (`!tag`, `&anchor`) from `i`; returns where the content starts.
 * Callers skip it when the first non-space character is neither `!` nor `&` (then `at` is just
 * that character's offset). Like js-yaml, it may read a property at or past `end`.
 */
function readProperties(src: string, i: number, end: number): Properties {
  const out: Properties = { at: i };
  for (;;) {
    i = skipSpace(src, i, end);
    const c = src[i];
    if (c !== '!' && c !== '&') break;
    let j = i + 1;
    if (c === '!' && src[j] === '<') {
      while (j < end && src[j] !== '>') j++;
      j++;
    } else {
      while (j < end && !NAME_END.test(src[j]!)) j++;
    }
    if (c === '!') out.tag = src.slice(i, j);
    else out.anchor = src.slice(i + 1, j);
    i = j;
  }
  out.at = i;
  return out;
}

/** Trims trailing spaces, tabs and line breaks before `end`. */
function trimEnd(src: string, start: number, end: number): number {
  while (end > start) {
    const c = src.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}

function keyText(key: YNode): string {
  return key.kind === 'scalar' ? key.text : `[${key.kind}]`;
}

/** Applies YAML merge keys (`<<`) the way go-yaml does: explicit keys win, earlier merges win. */
function applyMerges(map: YMap): void {
  const isMerge = (p: YPair): boolean => p.keyText === '<<' && p.key.kind === 'scalar' && p.key.plain;
  if (!map.pairs.some(isMerge)) return;
  const own = map.pairs.filter((p) => !isMerge(p));
  const seen = new Set(own.map((p) => p.keyText));
  const merged: YPair[] = [];
  for (const p of map.pairs) {
    if (!isMerge(p)) continue;
    const sources = p.value.kind === 'seq' ? p.value.items : [p.value];
    for (const src of sources) {
      if (src.kind !== 'map') continue;
      for (const q of src.pairs) {
        if (seen.has(q.keyText)) continue;
        seen.add(q.keyText);
        merged.push(q);
      }
    }
  }
  map.pairs = [...own, ...merged];
}

/** Up to this many pairs, duplicate keys are found by scanning the pairs; past it, with a Set. */
const SCAN_PAIRS = 8;

/** js-yaml's parser state as the listener sees it (`anchor` is there, untyped). */
type ListenerState = State & { anchor: string | null };

/**
 * Builds each document's tree of `src` (which starts at offset `base` of its file) from
 * js-yaml's listener: `open` pushes a frame, `close` turns the frame and its children into a
 * node and hands it to the parent frame (or, at the top, makes it a document's root).
 */
class TreeBuilder {
  readonly docs: YDoc[] = [];
  /** stack[0..depth) are the open nodes; frames past `depth` are kept for reuse. */
  private readonly stack: Frame[] = [];
  private depth = 0;
  /** Anchored nodes with their expanded sizes. */
  private readonly anchors = new Map<string, { node: YNode; size: number }>();
  private expanded = 0;

  constructor(
    private readonly src: string,
    private readonly base: number,
    private readonly limits: YamlLimits,
    private readonly problems: YamlProblem[],
    private readonly firstIndex: number,
  ) {}

  readonly listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') this.open(state.position);
    else this.close(state as ListenerState);
  };

  private open(position: number): void {
    if (this.depth > this.limits.maxDepth) {
      throw new YamlBuildError({
        kind: 'syntax',
        message: `nesting exceeded maxDepth (${this.limits.maxDepth})`,
        offset: position + this.base,
      });
    }
    const f = this.stack[this.depth];
    if (f === undefined) this.stack.push({ open: position, children: null, first: undefined, size: 0 });
    else {
      f.open = position;
      f.children = null;
      f.first = undefined;
      f.size = 0;
    }
    this.depth++;
  }

  private close(state: ListenerState): void {
    // Read the frame out: it is reused by the next node opened at this depth.
    const frame = this.stack[--this.depth]!;
    const { children, size: childSize } = frame;
    const close = state.position;
    const result = state.result;
    const src = this.src;
    let at = skipSpace(src, frame.open, close);
    let props: Properties | undefined;
    const pc = src.charCodeAt(at);
    if (pc === 33 || pc === 38) {
      // `!` or `&`: the node has properties (rare).
      props = readProperties(src, frame.open, close);
      at = props.at;
    }
    const tag = props?.tag;
    let node: YNode;
    let size = 1 + childSize;
    if (children !== null && children.length === 1 && result !== null && frame.first === result) {
      // js-yaml composed this node through an inner call (a key it tried to read turned out to be
      // the whole node): the inner node is this node.
      node = children[0]!;
      size = childSize;
      this.expanded -= 1; // counted when the inner call closed
    } else if (state.kind === 'mapping') node = this.finishMap(at, children);
    else if (state.kind === 'sequence') node = this.finishSeq(at, children);
    else if (children === null && src.charCodeAt(at) === 42) return this.alias(at, close, result);
    else {
      node = this.scalar(at, close, result, tag);
      size = 1;
    }
    if (tag !== undefined && node.kind !== 'scalar' && !STANDARD_TAG.test(tag)) node.tag = tag;
    const anchor = props?.anchor ?? state.anchor ?? undefined;
    if (anchor) this.anchors.set(anchor, { node, size });
    this.count(1, node);
    this.attach(node, size, result);
  }

  /** Counts expanded nodes against the alias-bomb limit. */
  private count(n: number, node: YNode): void {
    this.expanded += n;
    if (this.expanded > this.limits.maxExpandedNodes) {
      throw new YamlBuildError({
        kind: 'alias-limit',
        message: `the document expands to more than ${this.limits.maxExpandedNodes} nodes through aliases (a YAML alias bomb?); it was not analysed`,
        offset: node.start,
      });
    }
  }

  /** Hands a closed node (and what js-yaml constructed for it) to its parent, or ends a document. */
  private attach(node: YNode, size: number, result: unknown): void {
    if (this.depth > 0) {
      const up = this.stack[this.depth - 1]!;
      if (up.children === null) {
        up.children = [node];
        up.first = result;
      } else up.children.push(node);
      up.size += size;
    } else this.docs.push({ index: this.firstIndex + this.docs.length, root: node });
  }

  /** `*alias` at `at`: the anchored node itself, counted at its whole expanded size. */
  private alias(at: number, close: number, result: unknown): void {
    const src = this.src;
    let j = at + 1;
    while (j < close && !NAME_END.test(src[j]!)) j++;
    const target = this.anchors.get(src.slice(at + 1, j));
    if (!target) {
      throw new YamlBuildError({
        kind: 'syntax',
        message: 'unknown alias (a plain value starting with "*" is read as an alias: quote it)',
        offset: at + this.base,
      });
    }
    this.count(target.size, target.node);
    this.attach(target.node, target.size, result);
  }

  /** A scalar whose content starts at `at` (after its properties); js-yaml's `result` is its text. */
  private scalar(at: number, close: number, result: unknown, tag: string | undefined): YScalar {
    const src = this.src;
    const text = typeof result === 'string' ? result : '';
    const c = src.charCodeAt(at);
    let start = at;
    let end = trimEnd(src, at, close);
    let plain = true;
    if (c === 34 || c === 39) {
      // `"` or `'`
      plain = false;
      start = at + 1;
      end = Math.max(start, end - 1);
    } else if (c === 124 || c === 62) {
      // `|` or `>`
      plain = false;
      const nl = src.indexOf('\n', at);
      start = nl < 0 || nl >= close ? end : nl + 1;
    } else if (result === null) end = start;
    const base = this.base;
    const scalar: YScalar = {
      kind: 'scalar',
      start: start + base,
      end: end + base,
      text,
      value: plain ? resolveYaml11(text) : text,
      plain,
    };
    if (tag !== undefined) {
      if (/^!!(bool|int|float|null)$/.test(tag)) {
        const r = resolveYaml11(text);
        scalar.value = typeof r === 'string' ? text : r;
      } else if (!STANDARD_TAG.test(tag)) {
        scalar.tag = tag;
        scalar.value = text;
      } else scalar.value = text === '' && tag === '!!null' ? null : tag === '!!str' ? text : scalar.value;
    }
    return scalar;
  }

  private finishSeq(at: number, children: YNode[] | null): YSeq {
    const seq: YSeq = { kind: 'seq', start: at + this.base, end: at + this.base, items: children ?? [] };
    for (const item of seq.items) if (item.end > seq.end) seq.end = item.end;
    return seq;
  }

  /** A mapping from its children (keys and values alternate); duplicate keys become problems. */
  private finishMap(at: number, children: YNode[] | null): YMap {
    const map: YMap = { kind: 'map', start: at + this.base, end: at + this.base, pairs: [] };
    if (children === null) return map;
    const pairs = map.pairs;
    let seen: Set<string> | undefined; // the keys so far, once there are more than SCAN_PAIRS
    let merges = false;
    for (let i = 0; i < children.length; i += 2) {
      const key = children[i]!;
      const value = children[i + 1];
      // A speculative key read that found nothing leaves a trailing empty node: drop it.
      if (value === undefined) {
        if (key.kind === 'scalar' && key.value === null && key.text === '') break;
        const k = keyText(key);
        if (k === '<<') merges = true;
        pairs.push({ key, keyText: k, value: { kind: 'scalar', start: key.end, end: key.end, text: '', value: null, plain: true } });
        continue; // (the last child: a value-less key is never followed by another)
      }
      const k = keyText(key);
      if (k === '<<') merges = true;
      else if (seen !== undefined ? seen.has(k) : hasKey(pairs, k)) this.duplicate(key, k);
      pairs.push({ key, keyText: k, value });
      if (seen !== undefined) seen.add(k);
      else if (pairs.length > SCAN_PAIRS) seen = new Set(pairs.map((p) => p.keyText));
      if (value.end > map.end) map.end = value.end;
      if (key.end > map.end) map.end = key.end;
    }
    if (merges) applyMerges(map);
    return map;
  }

  private duplicate(key: YNode, k: string): void {
    this.problems.push({
      kind: 'duplicate-key',
      message: `the key "${k}" appears more than once in this mapping; Kubernetes keeps only the last value`,
      offset: key.start,
      endOffset: key.end,
    });
  }
}

/** True when one of `pairs` has the key `k` (for the first few pairs of a mapping). */
function hasKey(pairs: readonly YPair[], k: string): boolean {
  for (let j = 0; j < pairs.length; j++) if (pairs[j]!.keyText === k) return true;
  return false;
}

/** Parses `src` (which starts at offset `base` of its file) into documents (see `TreeBuilder`). */
function buildDocs(src: string, base: number, limits: YamlLimits, problems: YamlProblem[], firstIndex: number): YDoc[] {
  const builder = new TreeBuilder(src, base, limits, problems, firstIndex);
  jsyaml.loadAll(src, undefined, { schema: SCHEMA, json: true, listener: builder.listener });
  return builder.docs;
}

/**
 * js-yaml's reason without the names it quotes: an unquoted password starting with `*` is an
 * alias and `!x` a tag, and the reason would echo it (`unidentified alias "Qz7m..."`).
 */
function reasonWithoutContent(reason: string): string {
  const kind = /^unidentified alias/.test(reason)
    ? 'unidentified alias (a plain value starting with "*" is read as an alias: quote it)'
    : /^unknown tag/.test(reason)
      ? 'unknown tag (a plain value starting with "!" is read as a tag: quote it)'
      : reason
          .replace(/"[^"\n]*"?|'[^'\n]*'?/g, '«…»')
          .replace(/!<[^>\n]*>?|![^\s,]*/g, '«tag»')
          .replace(/\*[^\s,]+/g, '«alias»');
  return kind.slice(0, 200);
}

function syntaxProblem(err: unknown, base: number): YamlProblem {
  if (err instanceof YamlBuildError) return err.problem;
  // Never use err.message: js-yaml appends a source snippet, which may hold a secret.
  const e = err as { reason?: unknown; mark?: { position?: unknown } };
  const reason = typeof e.reason === 'string' && e.reason ? reasonWithoutContent(e.reason) : 'invalid YAML';
  const pos = typeof e.mark?.position === 'number' ? e.mark.position : 0;
  return { kind: 'syntax', message: reason, offset: pos + base };
}

const DOC_MARKER = /^---(?=[ \t\r\n]|$)/gm;
/**
 * Above this many characters a file is parsed document by document: one event array for a
 * 50 MB stream holds millions of objects at once, and garbage collection then dominates.
 */
const CHUNKED_ABOVE = 1 << 20;
/** Only blank, comment and directive lines (what may precede a file's first `---`). */
// Each line break has exactly one way to match, so a failing match cannot backtrack exponentially.
const PROLOGUE = /^(?:[ \t]*(?:[%#][^\r\n]*)?(?:\r?\n|\r(?!\n)))*$/;

/**
 * Parses every document of a YAML or JSON text. Never throws: syntax errors become problems,
 * and when one document is broken the others are still returned (split on `---` markers).
 */
export function parseYaml(text: string, limits: Partial<YamlLimits> = {}): ParsedYaml {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let first: unknown;
  if (text.length <= CHUNKED_ABOVE) {
    const problems: YamlProblem[] = [];
    try {
      return { docs: buildDocs(text, 0, lim, problems, 0), problems };
    } catch (err) {
      first = err;
    }
  }
  const starts = [0];
  for (const m of text.matchAll(DOC_MARKER)) if (m.index > 0) starts.push(m.index);
  // Directives (%YAML, %TAG) belong to the document after them: never split them off.
  if (starts.length > 1 && PROLOGUE.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  if (starts.length === 1 && first !== undefined) return { docs: [], problems: [syntaxProblem(first, 0)] };
  const problems: YamlProblem[] = [];
  const docs: YDoc[] = [];
  for (let i = 0; i < starts.length; i++) {
    const a = starts[i]!;
    const b = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const chunk = text.slice(a, b);
    try {
      for (const d of buildDocs(chunk, a, lim, problems, docs.length)) docs.push(d);
    } catch (e) {
      problems.push(syntaxProblem(e, a));
      docs.push({ index: docs.length, root: null });
    }
  }
  return { docs, problems };
}

/** Last value for `key` in a mapping (undefined when absent or not a mapping). */
export function get(node: YNode | null | undefined, key: string): YNode | undefined {
  if (!node || node.kind !== 'map') return undefined;
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.keyText === key) return node.pairs[i]!.value;
  return undefined;
}

/** The last pair for `key` (to point at the key's line). */
export function getPair(node: YNode | null | undefined, key: string): YPair | undefined {
  if (!node || node.kind !== 'map') return undefined;
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.keyText === key) return node.pairs[i];
  return undefined;
}

/** The node as a mapping, or undefined. */
export function asMap(node: YNode | undefined): YMap | undefined {
  return node?.kind === 'map' ? node : undefined;
}

/** The node as a sequence's items, or an empty list. */
export function asItems(node: YNode | undefined): YNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

/** The scalar's text (strings, numbers and booleans as written), or undefined. */
export function asText(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? node.text : undefined;
}

/** The scalar read as a YAML 1.1 boolean (`yes`, `on`, `true`...), or undefined. */
export function asBool(node: YNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'boolean') return node.value;
  // Quoted "true" is a string in YAML, but the API server would reject it for a bool field;
  // treat it as the boolean it spells so a quoted value cannot hide a setting.
  const t = node.text.toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

/** The scalar read as an integer, or undefined. */
export function asInt(node: YNode | undefined): number | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
  if (/^-?\d+$/.test(node.text.trim())) return Number(node.text.trim());
  return undefined;
}

/** Converts a node to a plain JavaScript value (for config files and small subtrees). */
export function toJS(node: YNode | null | undefined): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJS);
  const out: Record<string, unknown> = {};
  for (const p of node.pairs) out[p.keyText] = toJS(p.value);
  return out;
}

/**
 * Mapping a place in rendered output back to the source line that wrote it: the template line
 * (and the values line it reads), or the kustomize resource or patch line.
 */
import { asItems, asMap, asText, get, getPair } from '../parse/yaml.js';
import type { YNode, YPair } from '../parse/yaml.js';

/** One step of a path into a YAML tree. */
export interface Step {
  /** A mapping key, or the index of a sequence item. */
  key: string | number;
  /** For a sequence item that is a mapping with a `name`: that name (containers, volumes...). */
  name?: string;
}

/** The path of keys and indexes from `root` to the innermost node or key at `offset`. */
export function pathAt(root: YNode | null | undefined, offset: number): Step[] {
  const out: Step[] = [];
  let node: YNode | null | undefined = root;
  while (node) {
    if (node.kind === 'map') {
      const pair: YPair | undefined = node.pairs.find(
        (p) => offset >= p.key.start && offset < Math.max(p.key.end, p.value.end, p.key.end + 1),
      );
      if (!pair) break;
      out.push({ key: pair.keyText });
      if (offset < pair.value.start) break;
      node = pair.value;
    } else if (node.kind === 'seq') {
      const i = node.items.findIndex((it) => offset >= it.start && offset < Math.max(it.end, it.start + 1));
      if (i < 0) break;
      const item: YNode = node.items[i]!;
      const name = asText(get(item, 'name'));
      out.push({ key: i, ...(name !== undefined ? { name } : {}) });
      node = item;
    } else break;
  }
  return out;
}

/** Keys only (sequence indexes dropped), as a template writes them. */
function keysOf(path: readonly Step[]): string[] {
  return path.filter((s) => typeof s.key === 'string').map((s) => s.key as string);
}

/**
 * Follows a path in a plain YAML tree, matching sequence items by `name` when the step has one
 * (kustomize merges containers by name), else by index. Returns the deepest place reached and
 * how many steps it covered.
 */
export function follow(root: YNode | null | undefined, path: readonly Step[]): { at: YNode | YPair | undefined; depth: number } {
  let node: YNode | undefined = root ?? undefined;
  let at: YNode | YPair | undefined = node;
  let depth = 0;
  for (const step of path) {
    if (!node) break;
    if (typeof step.key === 'string') {
      const pair = getPair(node, step.key);
      if (!pair) break;
      at = pair;
      node = pair.value;
    } else {
      const items = asItems(node);
      const item = step.name !== undefined ? items.find((it) => asText(get(it, 'name')) === step.name) : items[step.key];
      if (!item) break;
      at = item;
      node = item;
    }
    depth++;
  }
  return { at, depth };
}

interface KeyLine {
  line: number;
  indent: number;
  key: string;
  /** Keys of the enclosing lines, outermost first. */
  chain: string[];
  text: string;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)("[^"]*"|'[^']*'|[A-Za-z0-9_./-]+)\s*:(?:\s|$)/;

/** The key lines of a template, each with the keys it sits under (read by indentation). */
function keyLines(text: string): KeyLine[] {
  const out: KeyLine[] = [];
  const stack: { indent: number; key: string }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*(#|\{\{)/.test(raw) || raw.trim() === '' || /^---/.test(raw)) continue;
    const m = KEY_LINE.exec(raw);
    if (!m) continue;
    const indent = m[1]!.length + m[2]!.length;
    const key = m[3]!.replace(/^["']|["']$/g, '');
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    out.push({ line: i + 1, indent, key, chain: stack.map((s) => s.key), text: raw });
    stack.push({ indent, key });
  }
  return out;
}

/** How many keys at the end of `chain + key` agree with the end of `want`. */
function suffixScore(line: KeyLine, want: readonly string[]): number {
  const full = [...line.chain, line.key];
  let n = 0;
  while (n < full.length && n < want.length && full[full.length - 1 - n] === want[want.length - 1 - n]) n++;
  return n;
}

function bestLine(lines: readonly KeyLine[], want: readonly string[]): KeyLine | undefined {
  let best: KeyLine | undefined;
  let score = 0;
  for (const l of lines) {
    if (l.key !== want[want.length - 1]) continue;
    const s = suffixScore(l, want);
    if (s > score) {
      best = l;
      score = s;
    }
  }
  // A lone key name far from its place (`name:` anywhere) proves nothing.
  return best && (score >= Math.min(2, want.length) || score === want.length) ? best : undefined;
}

const VALUES_REF = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g;

/** Where a template line reads values: `.Values.a.b` references, as key lists. */
function valuesRefs(line: string): string[][] {
  const out: string[][] = [];
  for (const m of line.matchAll(VALUES_REF)) out.push(m[1]!.slice(1).split('.'));
  return out;
}

/** The result of attributing a rendered place to a template. */
export interface TemplateHit {
  /** 1-based line in the template. */
  line: number;
  /** Values paths the line reads (for the related values location), most specific first. */
  values: string[][];
}

/**
 * The template line that wrote the key at `path`: the line with that key under the same keys;
 * else the line that pastes a values block (`toYaml .Values.x`) under the deepest key found,
 * with the values path extended by the keys below it.
 */
export function templateLine(template: string, path: readonly Step[]): TemplateHit | undefined {
  const want = keysOf(path);
  if (want.length === 0) return undefined;
  const lines = keyLines(template);
  const direct = bestLine(lines, want);
  const textLines = template.split(/\r\n|\r|\n/);
  if (direct) return { line: direct.line, values: valuesRefs(textLines[direct.line - 1] ?? '') };
  for (let k = want.length - 1; k >= 1; k--) {
    const parent = bestLine(lines, want.slice(0, k));
    if (!parent) continue;
    const rest = want.slice(k);
    // The block under the parent key: following lines until one at the parent's indent or less.
    for (let i = parent.line; i <= textLines.length; i++) {
      const t = textLines[i - 1] ?? '';
      if (i > parent.line && t.trim() !== '' && !/^\s*\{\{/.test(t)) {
        const ind = /^\s*((?:-\s+)*)/.exec(t)![0].length;
        if (ind <= parent.indent) break;
      }
      if (!t.includes('{{')) continue;
      let refs = valuesRefs(t);
      if (refs.length === 0 && /(toYaml|toJson|include|tpl)\s+\.\s*[|})]/.test(t)) refs = withRefs(textLines, i);
      if (refs.length === 0 && !/toYaml|include|tpl/.test(t)) continue;
      return { line: i, values: refs.map((r) => [...r, ...rest]) };
    }
    return undefined;
  }
  return undefined;
}

/** `{{ with .Values.x }}` (or `range`) enclosing a line: what `.` stands for there. */
function withRefs(lines: readonly string[], line: number): string[][] {
  for (let i = line - 1; i >= 1; i--) {
    const m = /\{\{-?\s*(?:with|range)\s+\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/.exec(lines[i - 1] ?? '');
    if (m) return [m[1]!.slice(1).split('.')];
  }
  return [];
}

/** The pair of a values path in a values file's tree (undefined when the file does not set it). */
export function valuesPair(root: YNode | null | undefined, keys: readonly string[]): YPair | undefined {
  let node: YNode | undefined = root ?? undefined;
  let pair: YPair | undefined;
  for (const k of keys) {
    pair = getPair(asMap(node), k);
    if (!pair) return undefined;
    node = pair.value;
  }
  return pair;
}

/** JSON pointer segments (`/spec/containers/0/image` -> ['spec','containers','0','image']). */
export function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True when the JSON pointer `ptr` names `path` or one of its ancestors. */
export function pointerCovers(ptr: readonly string[], path: readonly Step[]): boolean {
  if (ptr.length > path.length) return false;
  return ptr.every((seg, i) => {
    const step = path[i]!;
    return typeof step.key === 'number' ? seg === String(step.key) || seg === '-' : seg === step.key;
  });
}

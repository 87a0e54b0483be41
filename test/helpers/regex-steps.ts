/**
 * Counts the work of a regular expression instead of timing it: a small backtracking matcher
 * with the semantics of a JavaScript regex (the subset the detectors use: classes, escapes,
 * groups, alternation, greedy and lazy quantifiers, anchors, word boundaries, fixed-width
 * lookbehind and lookahead) that counts one step per node tried at a position. A backtracking
 * engine such as V8's does at least this much work in the same order, so a pattern whose step
 * count grows faster than its input here is super-linear there. Syntax outside the subset
 * (backreferences, variable-width lookbehind) throws, so no pattern is passed unchecked.
 */

type Node =
  | { t: 'char'; test: (c: string) => boolean }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; body: Node; min: number; max: number; greedy: boolean }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' }
  | { t: 'look'; body: Node; behind: boolean; neg: boolean; width: number }
  | { t: 'cap'; index: number; body: Node }
  | { t: 'backref'; index: number };

/** Thrown when a match exceeds its step budget (the pattern is reported, not hung on). */
export class StepBudgetExceeded extends Error {}

const isWord = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isSpace = (c: string): boolean => /\s/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

class Parser {
  private i = 0;
  private groups = 0;
  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new Error(`unexpected "${this.src[this.i]}" at ${this.i}`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    let greedy = true;
    if (this.peek() === '?') {
      greedy = false;
      this.i++;
    }
    return { t: 'rep', body: atom, min, max, greedy };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    if (c === '(') {
      let look: { behind: boolean; neg: boolean } | undefined;
      let index: number | undefined;
      const rest = this.src.slice(this.i);
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        look = { behind: false, neg: rest[1] === '!' };
        this.i += 2;
      } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        look = { behind: true, neg: rest[2] === '!' };
        this.i += 3;
      } else {
        if (rest.startsWith('?<')) this.i = this.src.indexOf('>', this.i) + 1;
        index = ++this.groups;
      }
      const body = this.alt();
      if (this.src[this.i++] !== ')') throw new Error('unclosed group');
      if (index !== undefined) return { t: 'cap', index, body };
      if (!look) return body;
      const width = look.behind ? fixedWidth(body) : 0;
      return { t: 'look', body, ...look, width };
    }
    if (c === '[') return this.cls();
    if (c === '.') return { t: 'char', test: this.flags.includes('s') ? () => true : (x) => x !== '\n' && x !== '\r' };
    if (c === '^') return { t: 'assert', kind: '^' };
    if (c === '$') return { t: 'assert', kind: '$' };
    if (c === '\\') {
      const e = this.src[this.i]!;
      if (e === 'b' || e === 'B') {
        this.i++;
        return { t: 'assert', kind: e };
      }
      if (/[1-9]/.test(e)) {
        const m = /^\d+/.exec(this.src.slice(this.i))!;
        this.i += m[0].length;
        return { t: 'backref', index: Number(m[0]) };
      }
      return { t: 'char', test: this.escape() };
    }
    return { t: 'char', test: this.literal(c) };
  }

  private literal(c: string): (x: string) => boolean {
    if (!this.flags.includes('i')) return (x) => x === c;
    const l = c.toLowerCase();
    return (x) => x.toLowerCase() === l;
  }

  /** After a backslash: the character test of the escape. */
  private escape(): (x: string) => boolean {
    const e = this.src[this.i++]!;
    switch (e) {
      case 'd':
        return isDigit;
      case 'D':
        return (x) => !isDigit(x);
      case 'w':
        return (x) => isWord(x);
      case 'W':
        return (x) => !isWord(x);
      case 's':
        return isSpace;
      case 'S':
        return (x) => !isSpace(x);
      case 'n':
        return (x) => x === '\n';
      case 'r':
        return (x) => x === '\r';
      case 't':
        return (x) => x === '\t';
      case 'f':
        return (x) => x === '\f';
      case 'v':
        return (x) => x === '\v';
      case '0':
        return (x) => x === '\0';
      case 'x': {
        const ch = String.fromCharCode(parseInt(this.src.slice(this.i, this.i + 2), 16));
        this.i += 2;
        return this.literal(ch);
      }
      case 'u': {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(this.src.slice(this.i))!;
        this.i += m[0].length;
        return this.literal(String.fromCodePoint(parseInt(m[1] ?? m[2]!, 16)));
      }
      default:
        return this.literal(e);
    }
  }

  private cls(): Node {
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const parts: ((x: string) => boolean)[] = [];
    let first = true;
    while (this.i < this.src.length && (this.peek() !== ']' || first)) {
      first = false;
      let lo: string | undefined;
      if (this.peek() === '\\') {
        this.i++;
        const e = this.src[this.i]!;
        if ('dDwWsS'.includes(e)) {
          parts.push(this.escape());
          continue;
        }
        const before = this.i;
        const test = this.escape();
        // A single-character escape: find which character it stands for.
        lo =
          e === 'x' || e === 'u'
            ? String.fromCodePoint(parseInt(/[0-9a-fA-F]+/.exec(this.src.slice(before + 1))![0], 16))
            : unescapeChar(e);
        void test;
      } else lo = this.src[this.i++]!;
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let hi = this.src[this.i++]!;
        if (hi === '\\') hi = unescapeChar(this.src[this.i++]!);
        const [a, b] = [lo.codePointAt(0)!, hi.codePointAt(0)!];
        const ci = this.flags.includes('i');
        parts.push((x) => {
          const inRange = (y: string): boolean => y.codePointAt(0)! >= a && y.codePointAt(0)! <= b;
          return inRange(x) || (ci && (inRange(x.toLowerCase()) || inRange(x.toUpperCase())));
        });
      } else parts.push(this.literal(lo));
    }
    if (this.src[this.i++] !== ']') throw new Error('unclosed class');
    return { t: 'char', test: (x) => parts.some((p) => p(x)) !== neg };
  }
}

function unescapeChar(e: string): string {
  return ({ n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[e] ?? e;
}

/** Width of a lookbehind body; only fixed widths are supported. */
function fixedWidth(n: Node): number {
  switch (n.t) {
    case 'char':
      return 1;
    case 'seq':
      return n.items.reduce((w, x) => w + fixedWidth(x), 0);
    case 'alt': {
      const ws = new Set(n.alts.map(fixedWidth));
      if (ws.size !== 1) throw new Error('variable-width lookbehind is not supported');
      return [...ws][0]!;
    }
    case 'rep':
      if (n.min !== n.max) throw new Error('variable-width lookbehind is not supported');
      return n.min * fixedWidth(n.body);
    case 'cap':
      return fixedWidth(n.body);
    case 'backref':
      throw new Error('a backreference in a lookbehind is not supported');
    default:
      return 0;
  }
}

/** Steps a pattern takes to find every match in `text`, as matchAll would (the budget caps it). */
export function countSteps(re: RegExp, text: string, budget = 50_000_000): number {
  return run(re, text, budget).steps;
}

/** The matches (start, end) the step-counting matcher finds: tests compare them with the real engine's. */
export function stepMatches(re: RegExp, text: string): [number, number][] {
  return run(re, text, 50_000_000).matches;
}

function run(re: RegExp, text: string, budget: number): { steps: number; matches: [number, number][] } {
  const matches: [number, number][] = [];
  const root = new Parser(re.source, re.flags).parse();
  const multiline = re.flags.includes('m');
  let steps = 0;
  const tick = (): void => {
    if (++steps > budget) throw new StepBudgetExceeded(`more than ${budget} steps`);
  };
  const n = text.length;
  const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';
  const caps = new Map<number, [number, number]>();

  const match = (node: Node, pos: number, k: (p: number) => boolean): boolean => {
    tick();
    switch (node.t) {
      case 'char':
        return pos < n && node.test(text[pos]!) && k(pos + 1);
      case 'seq': {
        const go = (i: number, p: number): boolean => (i === node.items.length ? k(p) : match(node.items[i]!, p, (q) => go(i + 1, q)));
        return go(0, pos);
      }
      case 'alt':
        return node.alts.some((a) => match(a, pos, k));
      case 'rep': {
        const rec = (count: number, p: number): boolean => {
          const more = (): boolean => count < node.max && match(node.body, p, (q) => q !== p && rec(count + 1, q));
          if (count < node.min) return match(node.body, p, (q) => rec(count + 1, q));
          return node.greedy ? more() || k(p) : k(p) || more();
        };
        return rec(0, pos);
      }
      case 'assert': {
        let ok: boolean;
        if (node.kind === '^') ok = pos === 0 || (multiline && isLineBreak(text[pos - 1]));
        else if (node.kind === '$') ok = pos === n || (multiline && isLineBreak(text[pos]));
        else {
          const boundary = isWord(text[pos - 1]) !== isWord(text[pos]);
          ok = node.kind === 'b' ? boundary : !boundary;
        }
        return ok && k(pos);
      }
      case 'cap': {
        return match(node.body, pos, (q) => {
          const old = caps.get(node.index);
          caps.set(node.index, [pos, q]);
          if (k(q)) return true;
          if (old) caps.set(node.index, old);
          else caps.delete(node.index);
          return false;
        });
      }
      case 'backref': {
        const c = caps.get(node.index);
        if (!c) return k(pos);
        const len = c[1] - c[0];
        for (let j = 0; j < len; j++) {
          tick();
          const a = text[c[0] + j]!;
          const b = text[pos + j];
          if (b === undefined || (re.flags.includes('i') ? a.toLowerCase() !== b.toLowerCase() : a !== b)) return false;
        }
        return k(pos + len);
      }
      case 'look': {
        const from = node.behind ? pos - node.width : pos;
        const found = from >= 0 && match(node.body, from, (q) => !node.behind || q === pos);
        return found !== node.neg && k(pos);
      }
    }
  };

  for (let start = 0; start <= n;) {
    tick();
    let end = -1;
    caps.clear();
    match(root, start, (p) => {
      end = p;
      return true;
    });
    if (end !== -1) matches.push([start, end]);
    start = end === -1 ? start + 1 : Math.max(end, start + 1);
  }
  return { steps, matches };
}

/** Steps per input character at two sizes, and whether the count grows linearly (within `slack`). */
export interface Growth {
  small: number;
  large: number;
  /** large / small for inputs twice as long: about 2 when linear, 4 when quadratic. */
  ratio: number;
  linear: boolean;
  /** Set when the budget ran out (catastrophic backtracking). */
  exceeded?: boolean;
}

/**
 * Work of `re` on `unit` repeated to `size` and to `2 * size` characters, each followed by
 * `tail` (a character that breaks the match, so a backtracking engine explores every way of not
 * matching). Linear when doubling the input at most `slack` times doubles the steps.
 */
export function stepGrowth(re: RegExp, unit: string, size = 600, tail = '\u0001!', slack = 1.3, budget = 20_000_000): Growth {
  const make = (len: number): string => unit.repeat(Math.ceil(len / unit.length)).slice(0, len) + tail;
  try {
    const small = countSteps(re, make(size), budget);
    const large = countSteps(re, make(2 * size), budget);
    const ratio = large / small;
    return { small, large, ratio, linear: ratio <= 2 * slack };
  } catch (err) {
    if (err instanceof StepBudgetExceeded) return { small: NaN, large: NaN, ratio: Infinity, linear: false, exceeded: true };
    throw err;
  }
}

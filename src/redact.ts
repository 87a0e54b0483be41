/** Secret redaction, in one place: every output passes through a Redactor. */

const MASK = '***';

/** Words, booleans and placeholders that a scanned file may call a "secret" but are no credential. */
const NOT_CREDENTIALS = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'null',
  'none',
  'nil',
  'undefined',
  'empty',
  'default',
  'secret',
  'password',
  'changeme',
  'changeit',
  'example',
  'placeholder',
  'redacted',
  'replace_me',
  'replaceme',
  'your-password',
  'your_password',
]);

/**
 * True when a value looks like a credential worth masking everywhere (in every log line of the
 * job, through core.setSecret / tl.setSecret): at least 8 characters, not a number, boolean,
 * common word or placeholder. `insecure: "true"` or `type: helm` in a Secret must not blank
 * every `true` and `helm` of the job log.
 */
export function isCredentialLike(value: string): boolean {
  const v = value.trim();
  if (v.length < 8) return false;
  if (NOT_CREDENTIALS.has(v.toLowerCase())) return false;
  if (/^[-+]?[0-9][0-9_.,:]*$/.test(v)) return false;
  // Placeholders and references: <token>, ${VAR}, $(VAR), {{ .Values.x }}, %VAR%, xxxxxxxx.
  if (/^(?:<[^<>]*>|\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|%[^%]+%|(.)\1+)$/s.test(v)) return false;
  // Plain words (one case, or capitalised), alone or joined by - _ . or spaces: settings, not keys.
  if (/^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/.test(v) && v.split(/[-_. ]/).every((w) => /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(w))) return false;
  return true;
}

/** Work the redactor did (for tests that bound it by counts, not time). */
export interface RedactorStats {
  /** Times the matcher was (re)built. */
  builds: number;
  /** Automaton states created over all builds. */
  statesBuilt: number;
  /** Transitions followed while scanning text (failure moves included). */
  steps: number;
}

/** One Aho–Corasick automaton over the registered values: one pass over a text finds them all. */
class Matcher {
  readonly next: Map<number, number>[] = [new Map()];
  readonly fail: number[] = [0];
  /** Length of the longest value that ends at this state (0: none). */
  readonly longest: number[] = [0];

  constructor(values: readonly string[], stats: RedactorStats) {
    for (const v of values) {
      let s = 0;
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        let t = this.next[s]!.get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.longest.push(0);
          this.next[s]!.set(c, t);
        }
        s = t;
      }
      this.longest[s] = Math.max(this.longest[s]!, v.length);
    }
    stats.statesBuilt += this.next.length;
    // Breadth first: a state's failure link points at a shallower state, already complete.
    const queue: number[] = [...this.next[0]!.values()];
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      for (const [c, t] of this.next[s]!) {
        let f = this.fail[s]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const g = this.next[f]!.get(c);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.longest[t] = Math.max(this.longest[t]!, this.longest[this.fail[t]!]!);
        queue.push(t);
      }
    }
  }

  /** Character ranges [start, end) covered by some value, merged where they overlap. */
  ranges(text: string, stats: RedactorStats): [number, number][] {
    const out: [number, number][] = [];
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = this.next[s]!.get(c);
      while (t === undefined && s !== 0) {
        s = this.fail[s]!;
        stats.steps++;
        t = this.next[s]!.get(c);
      }
      s = t ?? 0;
      stats.steps++;
      const len = this.longest[s]!;
      if (len === 0) continue;
      const start = i + 1 - len;
      const last = out[out.length - 1];
      if (last && start < last[1]) {
        last[0] = Math.min(last[0], start);
        last[1] = i + 1;
      } else out.push([start, i + 1]);
    }
    return out;
  }
}

/** Masks `values` in `text` by plain search: for the few secrets of one report, in its own message. */
export function maskValues(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const v of [...values].filter((x): x is string => !!x && x.length > 0).sort((a, b) => b.length - a.length)) {
    if (out.includes(v)) out = out.split(v).join(MASK);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return out;
}

/**
 * Removes registered secret values (as written, and as escaped inside JSON strings) from text.
 * Only credential-like values are registered (see `isCredentialLike`); a rule's own secret is
 * masked where it is reported, with `maskValues`. The matcher is built once per set of values,
 * when text is first redacted after a change: adding n secrets and redacting after all of them
 * costs one build over their total length, not n.
 */
export class Redactor {
  private readonly values: string[] = [];
  private readonly known = new Set<string>();
  private matcher: Matcher | undefined;
  /** Work counters (builds, states, steps). */
  readonly stats: RedactorStats = { builds: 0, statesBuilt: 0, steps: 0 };

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  private push(value: string): void {
    if (this.known.has(value)) return;
    this.known.add(value);
    this.values.push(value);
    this.matcher = undefined;
  }

  /** Registers a secret value when it is credential-like; anything else is left to its own report. */
  add(secret: string): void {
    if (this.known.has(secret) || !isCredentialLike(secret)) return;
    this.push(secret);
    // JSON and SARIF outputs escape quotes, backslashes and control characters.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.push(escaped);
    // Multi-line secrets (key blocks) are also masked line by line.
    for (const line of secret.split(/\r?\n/)) if (line !== secret && line.trim().length >= 8) this.push(line);
  }

  /** The registered secrets. */
  get secrets(): readonly string[] {
    return this.values;
  }

  /** Text with every registered secret replaced by a mask. */
  redact(text: string): string {
    if (this.values.length === 0 || text.length === 0) return text;
    if (!this.matcher) {
      this.matcher = new Matcher(this.values, this.stats);
      this.stats.builds++;
    }
    const ranges = this.matcher.ranges(text, this.stats);
    if (ranges.length === 0) return text;
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of ranges) {
      parts.push(text.slice(at, start), MASK);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join('');
  }
}

/** A short, safe description of a secret: its first characters (at most 4) and its length. */
export function describeSecret(value: string): string {
  const prefixLen = value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  const prefix = prefixLen ? `${value.slice(0, prefixLen)}…` : '';
  return `${prefix}${prefix ? ', ' : ''}${value.length} chars`;
}

/**
 * An error's text for messages and logs, with anything that could be file content removed:
 * quoted fragments and long token-like runs are elided (JSON.parse and library errors quote
 * their input, which may be a secret).
 */
export function safeErrorText(err: unknown, max = 300): string {
  const raw = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);
  return (
    raw
      .replace(/"(?:[^"\\\n]|\\.){0,2000}"|'(?:[^'\\\n]|\\.){0,2000}'|`[^`\n]{0,2000}`/g, '«…»')
      // A quote left open (the message was cut, or is malformed) hides the rest of its line.
      .replace(/["'`][^\n]*/g, '«…')
      // Token-like runs go: digits or key symbols mixed in, or long mixed-case runs; plain words stay.
      .replace(/[A-Za-z0-9+/=_~.:@-]{8,}/g, (run) =>
        /[0-9+/=_~@]/.test(run.replace(/^[a-z]+:\/\//i, '')) || (run.length >= 20 && /[a-z]/.test(run) && /[A-Z]/.test(run)) ? '…' : run,
      )
      .slice(0, max)
  );
}

/** Secret redaction, in one place: every output passes through a Redactor. */

const MASK = '***';

/** Removes registered secret values (as written, and as escaped inside JSON strings) from text. */
export class Redactor {
  private readonly values: string[] = [];
  private pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret value. Values shorter than 4 characters are too common to mask. */
  add(secret: string): void {
    if (secret.length < 4 || this.values.includes(secret)) return;
    this.values.push(secret);
    // JSON and SARIF outputs escape quotes, backslashes and control characters.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && !this.values.includes(escaped)) this.values.push(escaped);
    // Multi-line secrets (key blocks) are also masked line by line.
    for (const line of secret.split(/\r?\n/))
      if (line !== secret && line.trim().length >= 8 && !this.values.includes(line)) this.values.push(line);
    this.pattern = undefined;
  }

  /** The registered secrets. */
  get secrets(): readonly string[] {
    return this.values;
  }

  /** Text with every registered secret replaced by a mask. */
  redact(text: string): string {
    if (this.values.length === 0) return text;
    if (!this.pattern) {
      // Longest first so a secret that contains another is masked whole.
      const sorted = [...this.values].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
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

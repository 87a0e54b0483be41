/** Secret redaction, in one place: every output passes through a Redactor. */

const MASK = '***';

/** Removes registered secret values (and any 8+ character piece of them) from text. */
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

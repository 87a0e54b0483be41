/**
 * Leak search: does any output contain any run of `run` (default 6) consecutive characters of
 * any secret? Linear in the total size: every run of every secret goes into a map once, then
 * each output is read once.
 */

/** One leaked fragment. */
export interface Leak {
  /** Index of the secret in the input list (never the secret itself, so reports stay clean). */
  secret: number;
  /** Name of the output (its key, or its index as a string). */
  output: string;
  /** Offset of the fragment in that output. */
  offset: number;
  /** Offset of the fragment in the secret. */
  secretOffset: number;
  length: number;
}

/** Options of a leak search. */
export interface LeakOptions {
  /** Length of the runs searched (default 6). Secrets shorter than this are searched whole. */
  run?: number;
  /**
   * Patterns blanked from outputs before searching: for text that is derived from but does not
   * reveal a secret, such as 32-hex-digit fingerprints, which would otherwise match hex secrets
   * by chance.
   */
  ignore?: readonly RegExp[];
}

/** Every place where a run of a secret appears in an output. Empty means no leak. */
export function findLeaks(
  secrets: readonly string[],
  outputs: Readonly<Record<string, string>> | readonly string[],
  opts: LeakOptions = {},
): Leak[] {
  const run = opts.run ?? 6;
  if (run < 1) throw new Error('run must be at least 1');
  const runs = new Map<string, { secret: number; secretOffset: number }>();
  const whole: { secret: number; value: string }[] = [];
  secrets.forEach((s, i) => {
    if (s.length === 0) throw new Error(`secret ${i} is empty`);
    if (s.length < run) {
      whole.push({ secret: i, value: s });
      return;
    }
    for (let o = 0; o + run <= s.length; o++) {
      const frag = s.slice(o, o + run);
      if (!runs.has(frag)) runs.set(frag, { secret: i, secretOffset: o });
    }
  });
  const named: [string, string][] = Array.isArray(outputs)
    ? (outputs as readonly string[]).map((t, i) => [String(i), t])
    : Object.entries(outputs as Readonly<Record<string, string>>);
  const leaks: Leak[] = [];
  for (const [name, raw] of named) {
    let text = raw;
    // Blank with NULs of the same length so offsets stay true.
    for (const re of opts.ignore ?? [])
      text = text.replace(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`), (m) => '\0'.repeat(m.length));
    for (let o = 0; o + run <= text.length; o++) {
      const hit = runs.get(text.slice(o, o + run));
      if (hit) leaks.push({ ...hit, output: name, offset: o, length: run });
    }
    for (const w of whole) {
      for (let at = text.indexOf(w.value); at >= 0; at = text.indexOf(w.value, at + 1)) {
        leaks.push({ secret: w.secret, output: name, offset: at, secretOffset: 0, length: w.value.length });
      }
    }
  }
  return leaks;
}

/** A readable summary of leaks that shows where, never the secret text. */
export function describeLeaks(leaks: readonly Leak[]): string[] {
  return leaks.map(
    (l) => `secret #${l.secret} (chars ${l.secretOffset}-${l.secretOffset + l.length}) in output "${l.output}" at ${l.offset}`,
  );
}

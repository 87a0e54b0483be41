/**
 * Linear-time checks for regular expressions: collects every pattern a module exports, builds
 * adversarial inputs from each pattern's own characters, and counts the backtracking steps of
 * each match at two input sizes (test/helpers/regex-steps.ts): linear patterns double their
 * steps when the input doubles, super-linear ones do not. Work is counted, never timed.
 */
import { stepGrowth } from './regex-steps.js';
import type { Growth } from './regex-steps.js';

/** A pattern found in a module, with where it was found. */
export interface FoundPattern {
  where: string;
  re: RegExp;
}

/** Every RegExp reachable from a module's exports (arrays and plain objects, a few levels deep). */
export function collectPatterns(mod: Record<string, unknown>, maxDepth = 4): FoundPattern[] {
  const out: FoundPattern[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, where: string, depth: number): void => {
    if (value instanceof RegExp) {
      out.push({ where, re: value });
      return;
    }
    if (depth >= maxDepth || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`, depth + 1));
    else for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`, depth + 1);
  };
  for (const [k, v] of Object.entries(mod)) visit(v, k, 0);
  return out;
}

/** Literal characters and class members a pattern mentions (so inputs almost match). */
function alphabet(re: RegExp): string[] {
  const chars = new Set<string>();
  for (const m of re.source.matchAll(/\\[dDwWsS]|\\.|[^\\]/g)) {
    const t = m[0];
    if (t === '\\d') chars.add('7');
    else if (t === '\\w') chars.add('a').add('Z').add('_');
    else if (t === '\\s') chars.add(' ');
    else if (t.startsWith('\\')) chars.add(t.slice(1));
    else if (!'()[]{}*+?|^$.'.includes(t)) chars.add(t);
  }
  chars.add('a').add('A').add('0').add('=').add('-').add('/').add('"').add(' ');
  return [...chars];
}

/**
 * Adversarial inputs of about `size` characters for a pattern: each alphabet character and
 * each pair repeated (the classic `aaaa…!` and `abab…!` attacks), followed by a character
 * that breaks the match so the engine must explore every way of not matching.
 */
export function adversarialInputs(re: RegExp, size = 1 << 20, maxInputs = 24): string[] {
  return adversarialUnits(re, maxInputs).map((u) => u.repeat(Math.ceil(size / u.length)).slice(0, size) + '\u0001!');
}

/** The repeated units of adversarialInputs: each alphabet character, then pairs. */
export function adversarialUnits(re: RegExp, maxInputs = 24): string[] {
  const chars = alphabet(re);
  const units: string[] = [...chars];
  for (const a of chars) for (const b of chars) if (units.length < maxInputs) units.push(a + b);
  return units.slice(0, maxInputs);
}

/** The worst step growth of a pattern over its adversarial units (and any extra units given). */
export function worstGrowth(re: RegExp, maxInputs = 24, extraUnits: readonly string[] = []): Growth & { unit: string } {
  let worst: (Growth & { unit: string }) | undefined;
  for (const unit of [...adversarialUnits(re, maxInputs), ...extraUnits]) {
    const g = stepGrowth(re, unit);
    if (!worst || g.ratio > worst.ratio) worst = { ...g, unit };
    if (g.exceeded) break;
  }
  return worst!;
}

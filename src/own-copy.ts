/**
 * Copies of short strings taken from a file's text that share no memory with it. V8 keeps a
 * substring (and a concatenation of substrings) as a view of its parent, so a value kept after
 * its file is done (a cache key, a directive, a finding's identity) would otherwise keep the whole
 * file text alive. Ground floor: imports nothing.
 */

/** Any surrogate code unit: text without one round-trips through UTF-8 unchanged. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A flat copy of `s` with the same UTF-16 code units. Text without surrogates goes through UTF-8
 * (a fraction of `structuredClone`'s cost, profiled on the bench corpus); text with them (a lone
 * surrogate would become U+FFFD there) is cloned.
 */
export function ownCopy(s: string): string {
  if (s.length === 0) return '';
  return SURROGATE.test(s) ? structuredClone(s) : Buffer.from(s, 'utf8').toString('utf8');
}

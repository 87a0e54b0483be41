/**
 * Image patterns: globs over normalised image names (`registry/path`, no tag or digest),
 * matched on whole path segments. `*` matches within one segment, `**` any number of
 * segments, a bare host means everything from that registry.
 */
import picomatch from 'picomatch';

/** Returns a problem description for an invalid pattern, or undefined when it is fine. */
export function validatePattern(pattern: string): string | undefined {
  if (pattern.trim() !== pattern || pattern === '') return 'must not be empty or have surrounding spaces';
  if (/[:@]/.test(pattern.replace(/^[^/]*/, ''))) return 'must not hold a tag or digest (patterns match image names)';
  if (/[A-Z]/.test(pattern)) return 'must be lowercase (image names are)';
  if (pattern.startsWith('/') || pattern.endsWith('/')) return 'must not start or end with "/"';
  return undefined;
}

/** Compiles patterns into one matcher over normalised names (`docker.io/library/nginx`). */
export function compilePatterns(patterns: readonly string[]): (name: string) => boolean {
  const expanded = patterns.flatMap((p) => (p.includes('/') ? [p] : [p, `${p}/**`]));
  if (expanded.length === 0) return () => false;
  const isMatch = picomatch(expanded, { dot: true, nocase: false, noextglob: true, nobrace: false });
  return (name: string) => isMatch(name);
}

/**
 * Image patterns: globs over normalised image names (`registry/path`, no tag or digest),
 * matched on whole path segments. `*` matches within one segment, `**` any number of whole
 * segments, a bare host means everything from that registry, and a Docker Hub short name is
 * normalised the way Docker normalises references (`alpine` -> `docker.io/library/alpine`).
 */

const ALLOWED_CHARS = /^[a-z0-9._\-/:*]+$/;
const HOST_WITH_PORT = /^[a-z0-9.*-]+(?::(?:[0-9]+|\*))?$/;

/** True when a pattern's first segment names a registry (like Docker: a dot, a port, localhost) or is a wildcard. */
function startsWithHost(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first === '*' || first === '**';
}

/** Returns a problem description for an invalid pattern, or undefined when it is fine. */
export function validatePattern(pattern: string): string | undefined {
  if (pattern.trim() !== pattern || pattern === '') return 'must not be empty or have surrounding spaces';
  if (/[A-Z]/.test(pattern)) return 'must be lowercase (image names are)';
  if (pattern.includes('@')) return 'must not hold a digest (patterns match image names, e.g. mcr.microsoft.com/**)';
  if (!ALLOWED_CHARS.test(pattern)) {
    return 'may only use lowercase letters, digits, ".", "_", "-", "/", "*", "**" and ":" before a registry port';
  }
  const segments = pattern.split('/');
  if (segments.some((s) => s === '')) return 'must not start or end with "/" or hold "//"';
  const first = segments[0]!;
  if (segments.slice(1).some((s) => s.includes(':')) || (first.includes(':') && !HOST_WITH_PORT.test(first))) {
    return 'must not hold a tag (patterns match image names without tag; ":" is only for a registry port)';
  }
  if (segments.some((s) => s.includes('**') && s !== '**')) return 'uses "**" inside a segment; "**" must stand alone between slashes';
  return undefined;
}

/** The pattern as a full normalised-name pattern (`alpine` -> `docker.io/library/alpine`). */
export function normalisePattern(pattern: string): string {
  const segments = pattern.split('/');
  const first = segments[0]!;
  if (startsWithHost(first)) {
    if (first === 'index.docker.io' || first === 'registry-1.docker.io') segments[0] = 'docker.io';
    // A bare host means everything from that registry.
    if (segments.length === 1 && first !== '**') segments.push('**');
    return segments.join('/');
  }
  return ['docker.io', ...(segments.length === 1 ? ['library'] : []), ...segments].join('/');
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
}

/** A regular expression source for one normalised pattern, segment by segment. */
function patternSource(pattern: string): string {
  const segments = normalisePattern(pattern).split('/');
  if (segments.length === 1 && segments[0] === '**') return '^[^/]+(?:/[^/]+)*$';
  let out = '';
  let needSep = false;
  for (const seg of segments) {
    if (seg === '**') {
      // Whole segments only: `a/**` matches `a` and `a/b/c`, `**/b` matches `b` and `x/b`, never `xb`.
      out += needSep ? '(?:/[^/]+)*' : '(?:[^/]+/)*';
      continue;
    }
    out += (needSep ? '/' : '') + seg.split('*').map(escape).join('[^/]*');
    needSep = true;
  }
  return `^${out}$`;
}

/** Compiles patterns into one matcher over normalised names; it returns the first matching pattern. */
export function compilePatterns(patterns: readonly string[]): (name: string) => string | undefined {
  const compiled = patterns.map((p) => ({ p, re: new RegExp(patternSource(p)) }));
  return (name: string) => compiled.find((c) => c.re.test(name))?.p;
}

/**
 * Image references parsed and normalised the way Docker does (distribution/reference grammar):
 * `nginx` -> `docker.io/library/nginx`, `user/app` -> `docker.io/user/app`, a first component
 * with a dot, a port or `localhost` is a registry. Malformed references are results, not throws.
 */
import { ownCopy } from '../own-copy.js';

/** A well-formed reference, normalised. */
export interface ImageReference {
  ok: true;
  /** The reference as given. */
  original: string;
  /** Registry host (with port), `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry (`library/nginx`). */
  path: string;
  /** `registry/path`: what image patterns match. */
  name: string;
  tag: string | undefined;
  /** `algorithm:hex`, e.g. `sha256:...`. */
  digest: string | undefined;
}

/** A malformed reference with the reason, phrased to follow "is malformed: ". */
export interface InvalidReference {
  ok: false;
  original: string;
  reason: string;
}

/** The result of parsing an image reference. */
export type ParsedReference = ImageReference | InvalidReference;

/** Docker Hub, as normalised names spell it. */
export const DOCKER_HUB = 'docker.io';

const NAME_TOTAL_MAX = 255;
// distribution/reference: domain-component, optional port; IPv6 in brackets.
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

function invalid(original: string, reason: string): InvalidReference {
  return { ok: false, original, reason };
}

/**
 * True when the first path component names a registry rather than a Docker Hub namespace.
 * Docker also takes an uppercase first component (`MyUser/app`) for a host; that is nearly
 * always a mistyped namespace, so it is left to the lowercase check instead.
 */
function isRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/**
 * Parsed references by input: a repository names the same few images in thousands of manifests,
 * and several rules parse each one (a visible share of a large scan's profile). Results are frozen,
 * and the cache is emptied when it grows past a bound. The input is parsed from its own copy
 * (`ownCopy`), so neither key nor result is a slice of a file's text, which V8 would keep alive
 * whole (measured: 2,400 file texts, 6 MB, alive at the end of a 50,000-file scan).
 */
const parsedCache = new Map<string, ParsedReference>();
const PARSED_CACHE_MAX = 4096;

/** Parses and normalises an image reference. Never throws. */
export function parseReference(input: string): ParsedReference {
  let parsed = parsedCache.get(input);
  if (parsed) return parsed;
  if (parsedCache.size >= PARSED_CACHE_MAX) parsedCache.clear();
  parsed = Object.freeze(parseUncached(ownCopy(input)));
  parsedCache.set(parsed.original, parsed);
  return parsed;
}

function parseUncached(input: string): ParsedReference {
  const ref = input;
  if (ref === '') return invalid(input, 'it is empty');
  if (/\s/.test(ref)) return invalid(input, 'it contains whitespace');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return invalid(input, `"@${digest}" is not a valid digest (expected @sha256: and 64 hex digits)`);
    const [algo, hex] = digest.split(':') as [string, string];
    if (algo === 'sha256' && !/^[a-f0-9]{64}$/.test(hex)) return invalid(input, 'a sha256 digest must be 64 lowercase hex digits');
    if (algo === 'sha512' && !/^[a-f0-9]{128}$/.test(hex)) return invalid(input, 'a sha512 digest must be 128 lowercase hex digits');
  }
  let tag: string | undefined;
  // A colon after the last slash starts the tag; earlier colons belong to a registry port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      return invalid(input, `":${tag}" is not a valid tag (letters, digits, "_", "." and "-", up to 128, not starting with "." or "-")`);
  }
  if (rest === '') return invalid(input, 'it has no repository name');
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistry(parts[0]!)) {
    registry = parts.shift()!;
    if (!DOMAIN.test(registry)) return invalid(input, `"${registry}" is not a valid registry host`);
    registry = registry.toLowerCase();
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  }
  for (const p of parts) {
    if (p === '') return invalid(input, 'it has an empty path component ("//" or a leading or trailing "/")');
    if (p !== p.toLowerCase()) return invalid(input, `repository names must be lowercase ("${p}")`);
    if (!PATH_COMPONENT.test(p))
      return invalid(input, `"${p}" is not a valid repository name component (lowercase letters, digits and single separators . _ __ -)`);
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  const name = `${registry}/${path}`;
  if (rest.length > NAME_TOTAL_MAX) return invalid(input, `the repository name is longer than ${NAME_TOTAL_MAX} characters`);
  return { ok: true, original: input, registry, path, name, tag, digest };
}

/** The shortest form Docker shows for a normalised name (`docker.io/library/nginx` -> `nginx`). */
export function familiarName(name: string): string {
  if (name.startsWith(`${DOCKER_HUB}/library/`) && name.split('/').length === 3) return name.slice(`${DOCKER_HUB}/library/`.length);
  if (name.startsWith(`${DOCKER_HUB}/`)) return name.slice(DOCKER_HUB.length + 1);
  return name;
}

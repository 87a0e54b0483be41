import { LineIndex } from './positions.js';
import type { FileKind, Range } from '../types.js';
import type { YNode, YPair } from './yaml.js';

/** A file's text, decoded, with its line index. */
export interface SourceFile {
  /** Absolute path on disk. */
  absPath: string;
  /** Path relative to the scan root, forward slashes. */
  path: string;
  text: string;
  lines: LineIndex;
}

/** Result of decoding raw bytes. */
export type Decoded =
  { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; invalidAt?: number } | { ok: false; reason: string };

const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes file bytes: UTF-8 (BOM stripped) or UTF-16 with a BOM. A NUL byte in a file
 * without a UTF-16 BOM means binary. Invalid UTF-8 is decoded with replacement characters
 * and the first bad byte's offset is returned so the caller can report it.
 */
export function decode(buf: Uint8Array): Decoded {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  }
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (body.includes(0)) return { ok: false, reason: 'it contains NUL bytes (a binary file)' };
  try {
    return { ok: true, text: UTF8_STRICT.decode(body), encoding: 'utf-8' };
  } catch {
    // Lenient decode; the first replacement character marks the first invalid sequence.
    const text = UTF8.decode(body);
    return { ok: true, text, encoding: 'utf-8', invalidAt: Math.max(0, text.indexOf('\uFFFD')) };
  }
}

/** Builds a SourceFile from decoded text. */
export function sourceFile(absPath: string, path: string, text: string): SourceFile {
  return { absPath, path, text, lines: new LineIndex(text) };
}

/** A human name for each file kind. */
export const KIND_LABEL: Record<FileKind, string> = {
  kubernetes: 'Kubernetes manifest',
  dockerfile: 'Dockerfile',
  compose: 'docker-compose file',
  aci: 'Azure Container Instances file',
};

/** Converts a report location (a range, a YAML node, or a key/value pair) to a range in a file. */
export function rangeOf(file: SourceFile, at: Range | YNode | YPair): Range {
  if ('start' in at && typeof at.start === 'object') return at as Range;
  if ('key' in at) {
    const key = widened(file, at.key);
    const value = widened(file, at.value);
    return file.lines.range(key.s, Math.max(value.e, key.e));
  }
  const node = widened(file, at as YNode);
  return file.lines.range(node.s, node.e);
}

/** Quoted scalars' offsets exclude the quotes (JSON keys too); widen to include them for display. */
function widened(file: SourceFile, node: YNode): { s: number; e: number } {
  const ch = file.text[node.start - 1];
  if (node.kind === 'scalar' && (ch === '"' || ch === "'") && file.text[node.end] === ch) return { s: node.start - 1, e: node.end + 1 };
  return { s: node.start, e: node.end };
}

const detachedFiles = new WeakMap<SourceFile, SourceFile>();
/** The line index of an empty text, shared by every detached file. */
const NO_LINES = new LineIndex('');

/**
 * The file without its text, for cross-file rules that remember a place until `finish`: keeping
 * the whole text of every file alive would grow memory with the repository. A detached file names
 * its file by `path` only (its `absPath` is empty and it has no lines): a place kept for `finish`
 * holds a range already, and reports name files by path. Tens of thousands of them are alive at
 * the end of a large scan, so each is kept as small as a path.
 */
export function detached(file: SourceFile): SourceFile {
  let d = detachedFiles.get(file);
  if (!d) {
    d = namedFile(file.path);
    detachedFiles.set(file, d);
  }
  return d;
}

/** A file known by its path only (as `detached` gives): what a report names when it holds a range already. */
export function namedFile(path: string): SourceFile {
  return { absPath: '', path, text: '', lines: NO_LINES };
}

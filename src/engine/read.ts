/** Reading a candidate file: its size checked on the open descriptor, its bytes decoded to text. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Candidate } from '../collect/collect.js';
import { decode, sourceFile } from '../parse/source.js';
import type { SourceFile } from '../parse/source.js';

/** A candidate read as text (`invalidAt`: the first bad UTF-8 byte), or why it was skipped. */
export type ReadResult = { source: SourceFile; invalidAt?: number } | { skipped: string };

/** Files up to this size are read into one reused buffer: no allocation per file. */
const SCRATCH_BYTES = 1 << 20;
let scratch: Buffer | undefined;

/**
 * Reads exactly `size` bytes (fewer if the file shrank): the size fstat gave is the snapshot
 * checked against the limit, so a file that grows meanwhile cannot grow the read.
 */
function readAll(fd: number, size: number): Uint8Array {
  const buf = size <= SCRATCH_BYTES ? (scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES)) : Buffer.allocUnsafe(size);
  let n = 0;
  while (n < size) {
    const got = readSync(fd, buf, n, size - n, null);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/**
 * Reads a file after checking its size on the open descriptor (no stat-then-read race): open,
 * fstat, read, close. The bytes may sit in a reused buffer: decode them before the next read.
 */
function readBytes(absPath: string, maxBytes: number): { buf?: Uint8Array; error?: string } {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO after collection must not hang the scan on open.
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: 'it is not a regular file' };
    if (st.size > maxBytes) return { error: `it is ${st.size} bytes, over the maxFileBytes limit of ${maxBytes}` };
    return { buf: readAll(fd, st.size) };
  } catch (err) {
    return { error: `it could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and decodes a candidate (UTF-8 or UTF-16 with a BOM; binary files are skipped). */
export function readCandidate(c: Candidate, maxBytes: number): ReadResult {
  const { buf, error } = readBytes(c.absPath, maxBytes);
  if (!buf) return { skipped: error ?? 'it could not be read' };
  const decoded = decode(buf);
  if (!decoded.ok) return { skipped: decoded.reason };
  const source = sourceFile(c.absPath, c.relPath, decoded.text);
  return decoded.invalidAt !== undefined ? { source, invalidAt: decoded.invalidAt } : { source };
}

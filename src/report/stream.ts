/**
 * Writing large reports in pieces. A scan of a big monorepo holds hundreds of thousands of
 * findings; building its SARIF or JSON as one object and one string would double or triple the
 * memory the findings take. These helpers produce the same bytes as `JSON.stringify(doc, null, 2)`
 * one array item at a time.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const MARK = '\u0000podguard-stream\u0000';

/**
 * Pretty JSON (two-space indent) of `doc`, whose one array of many items is given separately:
 * `doc` holds `PLACEHOLDER` where that array goes. Joined, the chunks are byte-identical to
 * `JSON.stringify` of the document with the array in place.
 */
export function* prettyJsonChunks(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc, null, 2);
  const quoted = JSON.stringify(MARK);
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error('prettyJsonChunks: the document must hold PLACEHOLDER exactly once');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const inner = `${indent}  `;
  let first = true;
  for (const item of items) {
    const body = JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`);
    yield first ? `${text.slice(0, at)}[\n${inner}${body}` : `,\n${inner}${body}`;
    first = false;
  }
  yield first ? `${text.slice(0, at)}[]${text.slice(at + quoted.length)}` : `\n${indent}]${text.slice(at + quoted.length)}`;
}

/** Where `prettyJsonChunks` streams its array. */
export const PLACEHOLDER = MARK;

/** Joins small chunks into writes of about 64 KB. */
export function* coalesce(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let buf: string[] = [];
  let n = 0;
  for (const c of chunks) {
    buf.push(c);
    n += c.length;
    if (n >= size) {
      yield buf.join('');
      buf = [];
      n = 0;
    }
  }
  if (n > 0) yield buf.join('');
}

/** Writes chunks to a file (created or truncated). */
export function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const c of coalesce(chunks)) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

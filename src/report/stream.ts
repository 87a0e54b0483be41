/**
 * Writing large reports in pieces. A scan of a big monorepo holds hundreds of thousands of
 * findings; building its SARIF or JSON as one object and one string would double or triple the
 * memory the findings take. These helpers produce the same bytes as `JSON.stringify(doc, null, 2)`
 * one array item at a time.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { PIECE } from '../findings.js';

export { PIECE };

/** Where `prettyJsonChunks` streams its array. */
export const PLACEHOLDER = '\u0000podguard-stream\u0000';

/**
 * Pretty JSON (two-space indent) of `doc`, whose one array of many items is given separately:
 * `doc` holds `PLACEHOLDER` where that array goes. Joined, the chunks are byte-identical to
 * `JSON.stringify` of the document with the array in place.
 */
export function* prettyJsonChunks(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc, null, 2);
  const quoted = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error('prettyJsonChunks: the document must hold PLACEHOLDER exactly once');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const depth = /^ */.exec(text.slice(lineStart))![0].length / 2;
  // Items are stringified a group at a time inside `depth` wrapping arrays, so JSON.stringify
  // itself indents them as they sit in the document (re-indenting each item's text afterwards
  // took 2.4x the time of stringifying it, profiled on 67,000 findings).
  const prefix = Array.from({ length: depth + 1 }, (_, i) => `${' '.repeat(2 * i)}[\n`).join('');
  const suffix = Array.from({ length: depth + 1 }, (_, i) => `\n${' '.repeat(2 * (depth - i))}]`).join('');
  let opened = false;
  let group: unknown[] = [];
  const flush = (): string => {
    let wrapped: unknown = group;
    for (let i = 0; i < depth; i++) wrapped = [wrapped];
    const json = JSON.stringify(wrapped, null, 2);
    const body = json.slice(prefix.length, json.length - suffix.length);
    const out = opened ? `,\n${body}` : `${text.slice(0, at)}[\n${body}`;
    opened = true;
    group = [];
    return out;
  };
  for (const item of items) {
    group.push(item);
    if (group.length === 32) yield flush();
  }
  if (group.length > 0) yield flush();
  yield opened ? `\n${' '.repeat(2 * depth)}]${text.slice(at + quoted.length)}` : `${text.slice(0, at)}[]${text.slice(at + quoted.length)}`;
}

/** Joins small chunks into writes of about `size` characters (`PIECE`). */
export function* coalesce(chunks: Iterable<string>, size = PIECE): Generator<string> {
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

/**
 * Compact JSON of `doc` (no indentation), whose one array of many items is given separately:
 * `doc` holds `PLACEHOLDER` where that array goes. Joined, the chunks are byte-identical to
 * `JSON.stringify(doc)` with the array in place.
 */
export function* compactJsonChunks(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc);
  const quoted = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error('compactJsonChunks: the document must hold PLACEHOLDER exactly once');
  yield `${text.slice(0, at)}[`;
  let first = true;
  let group: string[] = [];
  let size = 0;
  for (const item of items) {
    const json = JSON.stringify(item);
    group.push(json);
    size += json.length + 1;
    if (size >= PIECE) {
      yield (first ? '' : ',') + group.join(',');
      first = false;
      group = [];
      size = 0;
    }
  }
  if (group.length > 0) yield (first ? '' : ',') + group.join(',');
  yield `]${text.slice(at + quoted.length)}`;
}

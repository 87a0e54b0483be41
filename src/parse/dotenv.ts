/**
 * The `.env` file docker compose reads from the project directory: variables for `${VAR}`
 * substitution in the compose file, and a place where literal secrets get committed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { decode, sourceFile } from './source.js';
import type { SourceFile } from './source.js';

/** One `NAME=value` line of a .env file. */
export interface DotenvEntry {
  name: string;
  value: string;
  /** Offsets of the whole `NAME=value` in the file text. */
  start: number;
  end: number;
}

/** A parsed .env file. */
export interface Dotenv {
  source: SourceFile;
  entries: DotenvEntry[];
  /** Name -> value, the last assignment winning (as compose reads it). */
  vars: Map<string, string>;
}

// `[export ]NAME=value`, the value bare, 'single' (literal) or "double" quoted; a bare value ends at ` #`.
const LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]{0,255})[ \t]*=[ \t]*(.*)$/;

/** Parses .env text the way compose does for the cases that matter here (no multi-line values). */
export function parseDotenv(source: SourceFile): Dotenv {
  const entries: DotenvEntry[] = [];
  const vars = new Map<string, string>();
  let offset = 0;
  for (const raw of source.text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = LINE.exec(line);
    if (m) {
      const rest = m[2]!;
      let value: string;
      const quote = rest[0];
      if ((quote === '"' || quote === "'") && rest.indexOf(quote, 1) > 0) value = rest.slice(1, rest.indexOf(quote, 1));
      else value = rest.replace(/[ \t]+#.*$/, '').trim();
      entries.push({ name: m[1]!, value, start: offset + line.indexOf(m[1]!), end: offset + line.length });
      vars.set(m[1]!, value);
    }
    offset += raw.length + 1;
  }
  return { source, entries, vars };
}

/** The largest .env read: a variables file, not data. */
const MAX_DOTENV_BYTES = 256 * 1024;

/**
 * Reads the `.env` beside a compose file, if there is a regular one (a symbolic link is not
 * followed: it could point outside the scanned tree). Undefined when absent or unreadable.
 */
export function readDotenv(composeAbsPath: string, composeRelPath: string, maxBytes: number): Dotenv | undefined {
  const abs = join(dirname(composeAbsPath), '.env');
  const rel = posix.join(posix.dirname(composeRelPath), '.env');
  let fd: number | undefined;
  try {
    if (!lstatSync(abs).isFile()) return undefined;
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > Math.min(maxBytes, MAX_DOTENV_BYTES)) return undefined;
    const decoded = decode(readFileSync(fd));
    if (!decoded.ok) return undefined;
    return parseDotenv(sourceFile(abs, rel, decoded.text));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

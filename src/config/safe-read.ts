/**
 * Reading podguard's own inputs from a checkout (the configuration, the baseline) the way
 * scanned files are read: a pull request may plant a link to `~/.ssh/id_ed25519`, `/etc/shadow`
 * or `/dev/zero` in their place. A file named inside the repository must resolve (realpath)
 * inside it, be a regular file and stay under a size cap; it is opened without following a
 * link and without blocking on a FIFO, and its size is checked on the open descriptor.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigurationError } from '../types.js';

/** Largest configuration file read. */
export const MAX_CONFIG_BYTES = 1 << 20;
/** Largest baseline file read (a baseline holds about 200 bytes per known finding). */
export const MAX_BASELINE_BYTES = 64 << 20;

/**
 * True when a relative path (from `path.relative`, either separator) leaves its base: `..`, a
 * first segment `..`, or an absolute path (another drive). A name that only starts with two dots
 * (`..k8s/pod.yaml`) stays inside: a pull request could otherwise hide a manifest by naming its
 * directory so.
 */
export function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** True when `abs` is `root` or below it. */
export function isInside(root: string, abs: string): boolean {
  const r = relative(root, abs);
  return r === '' || !climbsOut(r);
}

function realQuiet(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** Why a contained read failed: the file is missing, or it may not be read. */
export class ContainedReadError extends ConfigurationError {
  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

/**
 * Reads `path` (absolute, or relative to `root`) as UTF-8. `label` names the file in errors,
 * which never quote its content. When `path` lies inside `root`, its real path must too (a
 * link out of the repository is refused); a path the user gave outside the repository is read
 * as given, with the same file-type and size checks, unless `mustBeInside` (a path a file of
 * the repository named).
 */
export function readContainedFile(
  root: string,
  path: string,
  opts: { label: string; maxBytes: number; what: string; mustBeInside?: boolean },
): string {
  const { label, maxBytes, what } = opts;
  const abs = isAbsolute(path) ? path : resolve(root, path);
  const realRoot = realQuiet(root);
  let target = abs;
  if (isInside(resolve(root), abs) || isInside(realRoot, abs)) {
    let real: string;
    try {
      real = realpathSync.native(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ContainedReadError(
        `${label}: the ${what} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`,
        code === 'ENOENT',
      );
    }
    if (!isInside(realRoot, real)) {
      throw new ContainedReadError(
        `${label}: the ${what} is a symbolic link to a file outside the repository, which podguard never follows`,
        false,
      );
    }
    target = real;
  } else if (opts.mustBeInside) {
    throw new ContainedReadError(`${label}: the ${what} must be a file inside the repository`, false);
  }
  let fd: number | undefined;
  try {
    try {
      fd = openSync(target, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new ContainedReadError(`${label}: the ${what} is a symbolic link, which podguard never follows`, false);
      throw new ContainedReadError(
        `${label}: the ${what} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`,
        code === 'ENOENT',
      );
    }
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ContainedReadError(`${label}: the ${what} is not a regular file`, false);
    if (st.size > maxBytes) throw new ContainedReadError(`${label}: the ${what} is ${st.size} bytes, over the limit of ${maxBytes}`, false);
    // Read at most one byte past the cap: a file that grows after fstat cannot grow the read.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n >= buf.length) throw new ContainedReadError(`${label}: the ${what} is over the limit of ${maxBytes} bytes`, false);
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writing report files (SARIF, baseline, summary, JUnit...) in a checkout a pull request wrote:
 * a `podguard.sarif` link planted there must not make podguard overwrite the file it points at.
 * The text goes to a new temporary file beside the target (created exclusively, never through a
 * link) and is renamed over it: rename replaces a link itself, never its target. The target's
 * real directory must lie inside one of the allowed roots (the workspace, the runner's temp).
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside } from '../config/safe-read.js';
import { coalesce } from './stream.js';

/** Directories output files may be written under: the workspace and the runner's temp folders. */
export function outputRoots(workspace: string, env: Record<string, string | undefined>): string[] {
  const roots = [workspace, env.RUNNER_TEMP, env.AGENT_TEMPDIRECTORY, env.BUILD_ARTIFACTSTAGINGDIRECTORY, tmpdir()];
  return roots.filter((r): r is string => !!r).map((r) => resolve(r));
}

function real(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** Why an output file was not written (the caller names the input at fault). */
export class UnsafeOutputError extends Error {}

let counter = 0;

/**
 * Writes `text` (a string or chunks) to `path` without following a link at `path`, inside one
 * of `roots` by real path (creating its directory when `createDirs`). Throws UnsafeOutputError when the target leaves the roots or is a
 * directory; I/O errors (with their `code`) pass through.
 */
export function writeOutputFile(path: string, text: string | Iterable<string>, roots: readonly string[], createDirs = false): void {
  const abs = resolve(path);
  const dir = dirname(abs);
  if (createDirs) mkdirSync(dir, { recursive: true });
  const realDir = real(dir);
  if (!roots.some((r) => isInside(real(r), realDir) || isInside(resolve(r), realDir))) {
    throw new UnsafeOutputError('it resolves outside the workspace and the runner temp directory');
  }
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new UnsafeOutputError('it is a directory');
  const temp = join(realDir, `.${basename(abs)}.${process.pid}.${++counter}.podguard-tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    try {
      for (const c of typeof text === 'string' ? [text] : coalesce(text)) writeSync(fd, c);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(realDir, basename(abs)));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

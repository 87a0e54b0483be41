/** Git access with argument arrays only (never a shell string). */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** Extra process options for a git call. */
export interface GitOptions {
  /** Kills git after this many milliseconds (network calls must not hang a CI step). */
  timeoutMs?: number;
}

/** Runs git with arguments in `cwd`; resolves stdout, rejects with git's stderr. */
export function git(args: readonly string[], cwd: string, maxBuffer = 512 * 1024 * 1024, opts: GitOptions = {}): Promise<string> {
  // No credential prompt can ever answer in CI: fail fast instead of waiting on a terminal.
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  return new Promise((resolvePromise, reject) => {
    const options = { cwd, maxBuffer, encoding: 'utf8' as const, windowsHide: true, env, timeout: opts.timeoutMs ?? 0 };
    execFile('git', [...args], options, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(
            `git ${args[0] ?? ''} failed: ${
              String(stderr || err.message)
                .trim()
                .split('\n')[0]
            }`,
          ),
        );
      else resolvePromise(stdout);
    });
  });
}

/** The top-level directory of the git work tree containing `dir`, or undefined. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '--show-toplevel'], dir)).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Splits NUL-separated git output. */
export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}

/** A changed file from `git diff --name-status -z`. */
export interface ChangedFile {
  status: string;
  path: string;
}

/**
 * Parses `git diff --name-status -z` output. Renames and copies (R100, C75) report their new
 * path; deletions are dropped.
 */
export function parseNameStatus(out: string): ChangedFile[] {
  const parts = splitZ(out);
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length;) {
    const status = parts[i++]!;
    if (status.startsWith('R') || status.startsWith('C')) {
      i++; // old path
      files.push({ status: status[0]!, path: parts[i++]! });
    } else {
      const path = parts[i++]!;
      if (!status.startsWith('D')) files.push({ status: status[0]!, path });
    }
  }
  return files;
}

/**
 * Files changed between `ref` and the working tree (added, modified, renamed; not deleted),
 * plus untracked files that are not ignored. Paths are absolute.
 */
export async function changedSince(ref: string, cwd: string): Promise<string[]> {
  if (ref.startsWith('-')) throw new Error(`invalid git reference: ${ref}`);
  const top = await gitTopLevel(cwd);
  if (!top) throw new Error('--changed-since needs a git repository');
  await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top).catch(() => {
    throw new Error(`unknown git reference: ${ref}`);
  });
  const diff = await git(['diff', '--name-status', '-z', '--no-renames', ref, '--'], top);
  const untracked = await git(['ls-files', '-z', '--others', '--exclude-standard'], top);
  const set = new Set([...parseNameStatus(diff).map((f) => f.path), ...splitZ(untracked)]);
  return [...set].sort().map((p) => resolve(top, p));
}

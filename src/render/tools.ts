/**
 * Finding and running helm and kustomize. Pull-request content is untrusted: the tools run with
 * a clean environment (a temporary HOME and Helm directories, no kubeconfig, no plugins), a time
 * limit that kills them, and capped output.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The renderers podguard runs (kubectl for `kubectl kustomize` when kustomize is absent). */
export type Tool = 'helm' | 'kustomize' | 'kubectl';

/** Environment variables naming a tool's binary (override PATH and the configuration). */
export const TOOL_ENV: Record<Tool, string> = { helm: 'PODGUARD_HELM', kustomize: 'PODGUARD_KUSTOMIZE', kubectl: 'PODGUARD_KUBECTL' };

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binary to run: `PODGUARD_HELM` / `PODGUARD_KUSTOMIZE`, else the configured path, else the
 * first on PATH. Undefined (with the places looked in) when there is none.
 */
export function findTool(
  tool: Tool,
  configured: string | undefined,
  env: Record<string, string | undefined>,
  base: string,
): { path?: string; looked: string } {
  const variable = env[TOOL_ENV[tool]];
  const named = variable || configured;
  const where = variable ? TOOL_ENV[tool] : `render.${tool}`;
  if (named) {
    const abs = isAbsolute(named) || named.includes('/') ? resolve(base, named) : undefined;
    if (abs) return executable(abs) ? { path: abs, looked: `at ${where}` } : { looked: `at the path ${where} names` };
    const onPath = searchPath(named, env.PATH);
    return onPath ? { path: onPath, looked: `on PATH (${where})` } : { looked: `on PATH (the name ${where} gives)` };
  }
  const onPath = searchPath(tool, env.PATH);
  return onPath ? { path: onPath, looked: 'on PATH' } : { looked: 'on PATH' };
}

function searchPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (executable(p)) return p;
  }
  return undefined;
}

/** A scratch directory for one scan's renders (HOME, Helm caches, wrapper kustomizations). */
export class Scratch {
  readonly dir: string;
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'podguard-render-'));
  }
  /** A new empty subdirectory. */
  sub(name: string): string {
    const d = mkdtempSync(join(this.dir, `${name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-`));
    return d;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The environment a renderer runs in: nothing of the caller's but PATH. */
export function cleanEnv(scratch: Scratch): Record<string, string> {
  const home = join(scratch.dir, 'home');
  const dirs = { home, cache: join(home, '.cache'), config: join(home, '.config'), data: join(home, '.local', 'share') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: dirs.cache,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    HELM_CACHE_HOME: join(dirs.cache, 'helm'),
    HELM_CONFIG_HOME: join(dirs.config, 'helm'),
    HELM_DATA_HOME: join(dirs.data, 'helm'),
    HELM_PLUGINS: join(dirs.data, 'helm', 'plugins-none'),
    HELM_REGISTRY_CONFIG: join(dirs.config, 'helm', 'registry.json'),
    HELM_REPOSITORY_CONFIG: join(dirs.config, 'helm', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(dirs.cache, 'helm', 'repository'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
    // kustomize fetches remote bases with git: make sure no credential helper or prompt runs.
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, 'no-gitconfig'),
  };
}

/** What a render produced. */
export type RunResult = { ok: true; stdout: string } | { ok: false; error: string };

/** Output above this is cut and the render reported as failed (a chart that renders gigabytes is an attack). */
const MAX_RENDER_BYTES = 64 * 1024 * 1024;

/** Runs a renderer; never rejects. */
export function runTool(
  bin: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      bin,
      [...args],
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_RENDER_BYTES, windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return done({ ok: true, stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.killed || e.signal === 'SIGKILL')
          return done({ ok: false, error: `it did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped` });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return done({ ok: false, error: `its output exceeded ${MAX_RENDER_BYTES} bytes` });
        if (e.code === 'ENOENT' || e.code === 'EACCES') return done({ ok: false, error: `the program could not be started (${e.code})` });
        done({ ok: false, error: String(stderr || e.message) });
      },
    );
  });
}

/**
 * A tool's error text fit to show: its own words, first lines only, with scratch and repository
 * paths made relative, control characters and CI command prefixes removed, capped.
 */
export function toolError(text: string, paths: { scratch: string; root: string }, max = 400): string {
  let t = text.split(paths.scratch).join('…').split(`${paths.root}/`).join('').split(paths.root).join('.');
  t = t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^Use --debug flag/.test(l))
    .slice(0, 4)
    .join(' ');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  t = t.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/::|##\[|##vso\[/g, ': :');
  t = t.replace(/^Error:\s*/i, '');
  return t.length > max ? `${t.slice(0, max)}…` : t || 'no error text';
}

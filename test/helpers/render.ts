/**
 * The real helm and kustomize for render tests: PATH with `$(go env GOPATH)/bin` and
 * /root/go/bin added (where `.ci/run` installs them), or PODGUARD_HELM / PODGUARD_KUSTOMIZE.
 * A missing tool fails the test with the command that installs it: tests never fake a renderer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function goBin(): string[] {
  const out: string[] = [];
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (gopath) out.push(join(gopath.split(delimiter)[0]!, 'bin'));
  } catch {
    // no go: PATH and the variables must do
  }
  out.push('/root/go/bin');
  return out;
}

/** PATH with the Go bin directories in front. */
export const RENDER_PATH = [...goBin(), process.env.PATH ?? ''].join(delimiter);

function onPath(name: string): boolean {
  return RENDER_PATH.split(delimiter).some((d) => d && existsSync(join(d, name)));
}

/** The environment a scan that renders gets (throws with install instructions when a tool is missing). */
export function renderEnv(): Record<string, string | undefined> {
  for (const [tool, variable, pkg] of [
    ['helm', 'PODGUARD_HELM', 'helm.sh/helm/v3/cmd/helm@v3.22.0'],
    ['kustomize', 'PODGUARD_KUSTOMIZE', 'sigs.k8s.io/kustomize/kustomize/v5@v5.7.1'],
  ] as const) {
    if (!process.env[variable] && !onPath(tool)) {
      throw new Error(`${tool} is needed by the render tests: run .ci/run, or go install ${pkg}, or set ${variable}`);
    }
  }
  return { ...process.env, PATH: RENDER_PATH };
}

/** An environment without helm or kustomize (PATH holds only what node and git need). */
export function noToolsEnv(): Record<string, string | undefined> {
  const { PODGUARD_HELM: _h, PODGUARD_KUSTOMIZE: _k, ...rest } = process.env;
  return { ...rest, PATH: '/nonexistent' };
}

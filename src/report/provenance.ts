/**
 * Where the scanned code lives: SARIF `versionControlProvenance`, so code scanning and the Azure
 * DevOps Scans tab link results to the repository, commit and branch they came from.
 */

/** One repository a SARIF run's files come from. */
export interface Provenance {
  repositoryUri: string;
  revisionId?: string;
  branch?: string;
}

/** Environment variables, as the GitHub runner and the Azure Pipelines agent set them. */
export type CiEnv = Readonly<Record<string, string | undefined>>;

function value(env: CiEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** An absolute http(s) URI without credentials, or undefined (a URI with a user or password is never written). */
function safeUri(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

const REVISION = /^[0-9a-f]{7,64}$/i;

/**
 * Provenance from the environment: GitHub Actions (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
 * `GITHUB_SHA`, `GITHUB_REF`) or Azure Pipelines (`BUILD_REPOSITORY_URI`, `BUILD_SOURCEVERSION`,
 * `BUILD_SOURCEBRANCH`); undefined outside both.
 */
export function provenanceFromEnv(env: CiEnv): Provenance | undefined {
  let repositoryUri: string | undefined;
  let revision: string | undefined;
  let branch: string | undefined;
  const repo = value(env, 'GITHUB_REPOSITORY');
  if (repo && /^[\w.-]+\/[\w.-]+$/.test(repo)) {
    repositoryUri = safeUri(`${value(env, 'GITHUB_SERVER_URL') ?? 'https://github.com'}/${repo}`);
    revision = value(env, 'GITHUB_SHA');
    branch = value(env, 'GITHUB_REF');
  } else if (value(env, 'BUILD_REPOSITORY_URI')) {
    repositoryUri = safeUri(value(env, 'BUILD_REPOSITORY_URI'));
    revision = value(env, 'BUILD_SOURCEVERSION');
    branch = value(env, 'BUILD_SOURCEBRANCH');
  }
  if (!repositoryUri) return undefined;
  return {
    repositoryUri,
    ...(revision && REVISION.test(revision) ? { revisionId: revision } : {}),
    ...(branch && !/[\s\0]/.test(branch) ? { branch } : {}),
  };
}

import type { CrossFileRule, RuleContext } from '../rule.js';
import { asBool, asInt, asText, get, getPair } from '../parse/yaml.js';
import type { YPair } from '../parse/yaml.js';
import type { DockerFile, ParsedFile } from '../parse/index.js';
import type { Container } from '../parse/workloads.js';
import { effective } from '../parse/workloads.js';
import { firstTime, forEachContainer, forEachModelContainer, inUserNamespace, isWindowsPod, kubernetesMinor, place, spot } from './util.js';
import type { Spot } from './util.js';
import { finalUser } from '../image/user.js';
import { detached } from '../parse/source.js';
import type { SourceFile } from '../parse/source.js';

/** Compose services without `user:` that build a Dockerfile, and the Dockerfiles' final users, until `finish`. */
interface State {
  services: (Spot & { label: string; dockerfile: string })[];
  dockerfiles: Map<string, { file: SourceFile; how: string | undefined }>;
}

const isRootName = (u: string | undefined): boolean => u !== undefined && (u === 'root' || /^0+$/.test(u.trim()));

/** Windows accounts with administrator rights inside the container. */
const WINDOWS_ADMINS = /^(containeradministrator|administrator|nt authority\\system)$/i;

/**
 * The effective `windowsOptions.runAsUserName`: Kubernetes merges windowsOptions field by field,
 * so a container without its own user name inherits the pod's.
 */
function windowsUser(c: Container): YPair | undefined {
  return (
    getPair(get(c.securityContext, 'windowsOptions'), 'runAsUserName') ??
    getPair(get(c.workload.podSecurityContext, 'windowsOptions'), 'runAsUserName')
  );
}

type Context = RuleContext<State>;

/** Remembers a Dockerfile whose final stage runs as root, for compose services that build it (reported in finish). */
function rememberDockerfile(file: DockerFile, s: State): void {
  const user = finalUser(file.model);
  if (!user || (user.kind !== 'root' && user.kind !== 'default')) return;
  const how =
    user.kind === 'root'
      ? `USER ${user.user ?? 'root'}`
      : user.scratch
        ? 'FROM scratch without USER'
        : "no USER instruction: the base image's user, root for almost every image";
  s.dockerfiles.set(file.source.path, { file: detached(file.source), how });
}

/** Compose services and ACI containers (the format-neutral container model). */
function checkModelContainers(file: ParsedFile, ctx: Context): void {
  const once = firstTime();
  forEachModelContainer(file, (c) => {
    const identity = c.label;
    if (c.format === 'aci') {
      const u = c.user;
      if (u?.group !== undefined && /^0+$/.test(u.group)) {
        const at = c.securityContext ? (c.securityContext.pairs.find((p) => p.keyText === 'runAsGroup') ?? u.at) : u.at;
        ctx.report({ messageId: 'rootGroup', data: { container: c.label, source: 'container' }, at, identity });
      }
      if (u?.user !== undefined && /^0+$/.test(u.user)) {
        ctx.report({ messageId: 'rootUser', data: { container: c.label, source: 'container' }, at: u.at, identity });
      }
      return;
    }
    if (c.user) {
      if (!once(c.user.at)) return;
      if (isRootName(c.user.user))
        ctx.report({ messageId: 'composeRoot', data: { container: c.label }, at: c.user.at, identity, level: 'warning' });
      else if (c.user.group !== undefined && isRootName(c.user.group))
        ctx.report({ messageId: 'composeRootGroup', data: { container: c.label }, at: c.user.at, identity, level: 'note' });
      return;
    }
    if (c.build) ctx.crossFile.services.push({ ...spot(file.source, c.anchor), label: c.label, dockerfile: c.build.dockerfile });
  });
}

/** Kubernetes containers: Windows pods by user name, Linux pods by UID, GID and runAsNonRoot. */
function checkPods(file: ParsedFile, ctx: Context): void {
  const minUid = Number(ctx.options.minUid ?? 1);
  const userNamespaceExempt = kubernetesMinor(ctx.settings) >= 35;
  forEachContainer(file, (c, w) => {
    // From policy 1.35 Pod Security admission skips runAsNonRoot and runAsUser for a pod in a
    // user namespace (`hostUsers: false`): its root is an unprivileged user on the node.
    if (userNamespaceExempt && inUserNamespace(w)) return;
    // Windows has no UIDs: the user is a name, and runAsUser/runAsGroup are not allowed.
    // windowsOptions is ignored on a pod declared Linux, so it proves nothing there.
    const declaredLinux = asText(get(get(w.podSpec, 'os'), 'name'))?.toLowerCase() === 'linux';
    const winUser = declaredLinux ? undefined : windowsUser(c);
    if (winUser || isWindowsPod(w)) checkWindowsUser(c, winUser, ctx);
    else checkLinuxUser(c, minUid, ctx);
  });
}

function checkWindowsUser(c: Container, winUser: YPair | undefined, ctx: Context): void {
  const identity = c.label;
  const user = asText(winUser?.value);
  if (winUser && user && WINDOWS_ADMINS.test(user)) {
    ctx.report({ messageId: 'windowsAdmin', data: { container: c.label, user }, at: winUser, identity, value: user });
    return;
  }
  if (user) return;
  if (asBool(effective(c, 'runAsNonRoot')?.node) === true) return;
  ctx.report({ messageId: 'windowsMissing', data: { container: c.label }, at: c.anchor, identity });
}

function checkLinuxUser(c: Container, minUid: number, ctx: Context): void {
  const identity = c.label;
  const user = effective(c, 'runAsUser');
  const group = effective(c, 'runAsGroup');
  const nonRoot = effective(c, 'runAsNonRoot');
  const uid = asInt(user?.node);
  if (group && asInt(group.node) === 0) {
    ctx.report({ messageId: 'rootGroup', data: { container: c.label, source: group.source }, at: group.pair, identity });
  }
  if (user && uid === 0) {
    ctx.report({ messageId: 'rootUser', data: { container: c.label, source: user.source }, at: user.pair, identity });
    return;
  }
  if (user && uid !== undefined && uid < minUid) {
    ctx.report({ messageId: 'lowUid', data: { container: c.label, uid, minUid }, at: user.pair, identity, value: String(uid) });
    return;
  }
  if (uid !== undefined && uid >= minUid) return;
  const nonRootValue = asBool(nonRoot?.node);
  if (nonRootValue === true) return;
  if (nonRoot && nonRootValue === false) {
    ctx.report({ messageId: 'nonRootFalse', data: { container: c.label }, at: nonRoot.pair, identity });
    return;
  }
  const wanted = minUid <= 1 ? 'a non-zero runAsUser' : `a runAsUser of ${minUid} or more`;
  ctx.report({ messageId: 'missing', data: { container: c.label, user: wanted }, at: c.anchor, identity });
}

/** Containers must run as a non-root user. */
export const rule: CrossFileRule<State> = {
  meta: {
    id: 'run-as-root',
    title: 'Container may run as root',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    description:
      'A container has neither runAsNonRoot: true nor a non-root runAsUser (pod or container level), sets runAsUser/runAsGroup 0, or (Windows) runs as ContainerAdministrator.',
    why: 'The AKS pod security practice says pods should run as a defined user or group and not as root (Microsoft, "Best practices for pod security in AKS", which sets runAsUser: 1000). A process that is root in the container is root on the node once it escapes, and most images default to root unless told otherwise.',
    fix: 'Set a non-root user for the pod (or the container) and let Kubernetes verify it:\n\n```yaml\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Run the service as a non-root user, in the compose file or (better) in the image:\n\n```yaml\nservices:\n  web:\n    user: "10001:10001"\n```\n\nFor compose an explicit `user: root` (or `0`, `0:0`) is a warning, a root group alone a note. Without `user:` the image decides: when the service `build:`s a Dockerfile of the repository whose final stage runs as root, that is a warning at the service; for a pulled image the user is unknown and podguard does not guess.',
      aci: "Set a non-zero runAsUser and runAsGroup in the container's securityContext (ACI has no runAsNonRoot, so an absent user is not reported):\n\n```yaml\nproperties:\n  containers:\n    - name: web\n      properties:\n        securityContext:\n          runAsUser: 10001\n          runAsGroup: 10001\n```",
    },
    kinds: ['kubernetes', 'dockerfile', 'compose', 'aci'],
    profile: 'restricted',
    silentUnless: 'From kubernetesVersion 1.35, pods with `hostUsers: false` (a user namespace) are exempt, as in Pod Security admission.',
    defaultOptions: { minUid: 1 },
    optionsSchema: {
      type: 'object',
      properties: { minUid: { type: 'integer', minimum: 1, description: 'Lowest accepted runAsUser (the seeds use 1000).' } },
      additionalProperties: false,
    },
    messages: {
      missing: '{container} may run as root: set runAsNonRoot: true or {user}.',
      rootUser: '{container} runs as root: runAsUser is 0 (set at {source} level).',
      rootGroup: '{container} runs with the root group: runAsGroup is 0 (set at {source} level).',
      lowUid: '{container} runs as UID {uid}, below the configured minimum of {minUid}.',
      nonRootFalse: '{container} sets runAsNonRoot: false and no non-root runAsUser, so it may run as root.',
      windowsAdmin: '{container} runs as the Windows administrator account {user}.',
      composeRoot: '{container} runs as root (user: root or UID 0).',
      composeRootGroup: '{container} runs with the root group (GID 0).',
      composeImageRoot: '{container} sets no user, and the image it builds from {dockerfile} runs as root ({how}).',
      windowsMissing:
        '{container} may run as ContainerAdministrator: set windowsOptions.runAsUserName: ContainerUser or runAsNonRoot: true.',
    },
  },
  initialState: () => ({ services: [], dockerfiles: new Map() }),
  check(file, ctx) {
    if (file.kind === 'dockerfile') rememberDockerfile(file, ctx.crossFile);
    else {
      checkModelContainers(file, ctx);
      checkPods(file, ctx);
    }
  },
  finish(ctx) {
    const s = ctx.crossFile;
    for (const svc of s.services) {
      // A Dockerfile outside the scan (a pull request's changed files) proves nothing: say nothing.
      const d = s.dockerfiles.get(svc.dockerfile);
      if (!d) continue;
      ctx.report({
        ...place(svc),
        messageId: 'composeImageRoot',
        data: { container: svc.label, dockerfile: svc.dockerfile, how: d.how ?? 'root' },
        identity: svc.label,
        level: 'warning',
      });
    }
  },
};

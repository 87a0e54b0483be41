import type { Rule } from './api.js';
import { asBool, asInt, asText, get, getPair } from '../parse/yaml.js';
import type { YPair } from '../parse/yaml.js';
import type { Container } from '../parse/workloads.js';
import { effective } from '../parse/workloads.js';
import { forEachContainer, isWindowsPod } from './util.js';

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

/** Containers must run as a non-root user. */
export const rule: Rule = {
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
    kinds: ['kubernetes'],
    profile: 'restricted',
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
      windowsMissing:
        '{container} may run as ContainerAdministrator: set windowsOptions.runAsUserName: ContainerUser or runAsNonRoot: true.',
    },
  },
  check(file, ctx) {
    const minUid = Number(ctx.options.minUid ?? 1);
    forEachContainer(file, (c, w) => {
      const identity = c.label;
      // Windows has no UIDs: the user is a name, and runAsUser/runAsGroup are not allowed.
      // windowsOptions is ignored on a pod declared Linux, so it proves nothing there.
      const declaredLinux = asText(get(get(w.podSpec, 'os'), 'name'))?.toLowerCase() === 'linux';
      const winUser = declaredLinux ? undefined : windowsUser(c);
      if (winUser || isWindowsPod(w)) {
        const user = asText(winUser?.value);
        if (winUser && user && WINDOWS_ADMINS.test(user)) {
          ctx.report({ messageId: 'windowsAdmin', data: { container: c.label, user }, at: winUser, identity, value: user });
          return;
        }
        if (user) return;
        if (asBool(effective(c, 'runAsNonRoot')?.node) === true) return;
        ctx.report({ messageId: 'windowsMissing', data: { container: c.label }, at: c.anchor, identity });
        return;
      }
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
    });
  },
};

import type { Rule } from './api.js';
import { asBool } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { capabilityItems, forEachContainer, isWindowsPod, podLevelHint } from './util.js';

/** Containers must set allowPrivilegeEscalation: false (and nothing that overrides it). */
export const rule: Rule = {
  meta: {
    id: 'privilege-escalation',
    title: 'Privilege escalation allowed',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'very-high',
    description:
      'A container does not set allowPrivilegeEscalation: false, or is privileged / adds SYS_ADMIN, which allows escalation whatever the field says.',
    why: 'Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent (setuid binaries such as `sudo`, file capabilities): a foothold in the container becomes root in the container. Microsoft\'s "Best practices for pod security in AKS" says to design applications so that this setting is *always* false, and the Pod Security Standards *restricted* profile requires it. Kubernetes treats the field as true for a privileged container or one that adds `CAP_SYS_ADMIN`, so setting it to false there does not help.',
    fix: 'Set it in every container (it is a container-only field: at pod level it is ignored):\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: false\n      privileged: false\n      capabilities:\n        drop: ["ALL"]\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'restricted',
    silentUnless: 'Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.',
    messages: {
      missing: '{container} does not set allowPrivilegeEscalation: false{hint}.',
      allowed: '{container} sets allowPrivilegeEscalation to {value}: processes can gain more privileges than their parent.',
      privileged: '{container} is privileged, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.',
      sysAdmin: '{container} adds {capability}, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const identity = c.label;
      const privileged = containerField(c, 'privileged');
      if (privileged && asBool(privileged.value) === true) {
        ctx.report({ messageId: 'privileged', data: { container: c.label }, at: privileged, identity });
        return;
      }
      const sysAdmin = capabilityItems(c, 'add').find((i) => i.name === 'SYS_ADMIN');
      if (sysAdmin) {
        const capability = sysAdmin.node.kind === 'scalar' ? sysAdmin.node.text : 'SYS_ADMIN';
        ctx.report({ messageId: 'sysAdmin', data: { container: c.label, capability }, at: sysAdmin.node, identity });
        return;
      }
      const field = containerField(c, 'allowPrivilegeEscalation');
      if (!field) {
        ctx.report({
          messageId: 'missing',
          data: { container: c.label, hint: podLevelHint(c, 'allowPrivilegeEscalation') },
          at: c.anchor,
          identity,
        });
        return;
      }
      if (asBool(field.value) === false) return;
      const value = field.value.kind === 'scalar' ? field.value.text || 'null' : field.value.kind;
      ctx.report({ messageId: 'allowed', data: { container: c.label, value }, at: field, identity });
    });
  },
};

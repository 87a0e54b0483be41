import type { Rule } from '../rule.js';
import { asBool } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { capabilityItems, forEachContainer, forEachModelContainer, isWindowsPod, podLevelHint } from './util.js';

/** Containers must set allowPrivilegeEscalation: false (and nothing that overrides it). */
export const rule: Rule = {
  meta: {
    id: 'privilege-escalation',
    title: 'Privilege escalation allowed',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'very-high',
    description:
      'A container does not set allowPrivilegeEscalation: false, or adds SYS_ADMIN (or is privileged, when privileged-container is off), which allows escalation whatever the field says; ACI allowPrivilegeEscalation: true; compose no-new-privileges:false.',
    why: 'Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent (setuid binaries such as `sudo`, file capabilities): a foothold in the container becomes root in the container. Microsoft\'s "Best practices for pod security in AKS" says to design applications so that this setting is *always* false, and the Pod Security Standards *restricted* profile requires it. Kubernetes treats the field as true for a privileged container or one that adds `CAP_SYS_ADMIN`, so setting it to false there does not help.',
    fix: 'Set it in every container (it is a container-only field: at pod level it is ignored):\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: false\n      privileged: false\n      capabilities:\n        drop: ["ALL"]\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Compose has no such default-deny: escalation stays possible unless the service asks for `no-new-privileges`. podguard reports only an explicit `no-new-privileges:false` (a note: it restates the Docker default) and leaves an absent option alone, because a local compose file is rarely hardened this far:\n\n```yaml\nservices:\n  web:\n    security_opt:\n      - no-new-privileges:true\n```',
      aci: "Set it to false in the container's securityContext (an absent field is not reported for ACI):\n\n```yaml\nproperties:\n  containers:\n    - name: web\n      properties:\n        securityContext:\n          allowPrivilegeEscalation: false\n```",
    },
    kinds: ['kubernetes', 'compose', 'aci'],
    profile: 'restricted',
    silentUnless: 'Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.',
    messages: {
      missing: '{container} does not set allowPrivilegeEscalation: false{hint}.',
      noNewPrivilegesFalse: '{container} sets no-new-privileges to false: processes can gain more privileges than their parent.',
      allowed: '{container} sets allowPrivilegeEscalation to {value}: processes can gain more privileges than their parent.',
      privileged: '{container} is privileged, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.',
      sysAdmin: '{container} adds {capability}, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.',
    },
  },
  check(file, ctx) {
    const privilegedReported = ctx.settings.rules['privileged-container']?.level !== 'off';
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const identity = c.label;
      const privileged = containerField(c, 'privileged');
      // One root cause, one finding: privileged-container already reports a privileged container.
      if (privileged && asBool(privileged.value) === true && privilegedReported) return;
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
    forEachModelContainer(file, (c) => {
      const ape = c.allowPrivilegeEscalation;
      if (c.privileged?.value === true && privilegedReported) return;
      if (c.format === 'aci' && ape?.value === true) {
        ctx.report({ messageId: 'allowed', data: { container: c.label, value: 'true' }, at: ape.at, identity: c.label });
      } else if (c.format === 'compose' && ape?.value === true) {
        ctx.report({ messageId: 'noNewPrivilegesFalse', data: { container: c.label }, at: ape.at, identity: c.label, level: 'note' });
      }
    });
  },
};

import type { Rule } from '../rule.js';
import { hostMounts } from './host-paths.js';

/** Any other host path: still the node's file system, but not one of the sensitive ones. */
export const rule: Rule = {
  meta: {
    id: 'host-path-other',
    title: 'Host path mounted',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    description:
      'A pod or PersistentVolume mounts a hostPath that is not a runtime socket or sensitive node path, or a compose service maps a host device or binds an absolute host path outside the repository (a note for compose).',
    why: 'Any `hostPath` ties the pod to one node\'s file system: what the pod writes lands on the node and survives it, what another pod (or a node process) leaves there is read by this one, and a writable host path is a way to plant files the node later runs. Microsoft\'s "Best practices for pod security in AKS" asks to limit access to the underlying node; the Pod Security Standards *baseline* profile forbids hostPath volumes altogether. The sensitive paths (runtime sockets, credentials, kernel interfaces) are `host-path`, an error.',
    fix: 'Use a volume that does not touch the node: `emptyDir` for scratch space, a `configMap`/`secret` for configuration, a PersistentVolumeClaim for data:\n\n```yaml\nvolumes:\n  - name: cache\n    emptyDir: {}\n```\n\nIf a node agent really needs a host path, mount the narrowest path read-only (`readOnly: true` on the volumeMount) and suppress the finding with a justification.',
    fixByFormat: {
      compose:
        "Binding a path of the repository (`./src:/app`) is how compose is used for development and is not reported. An absolute host path outside it is a note (it ties the service to one machine's layout); a `devices:` mapping is a warning (the container talks to the host's hardware). Prefer a named volume:\n\n```yaml\nservices:\n  web:\n    volumes:\n      - data:/var/lib/app\nvolumes:\n  data: {}\n```",
    },
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes', 'compose'],
    profile: 'baseline',
    messages: {
      other: '{subject} mounts the host path {path} ({mounts}).',
      composeBind: '{subject} binds the host path {path}, outside the repository.',
      device: '{subject} maps the host device {path} into the container.',
    },
  },
  check(file, ctx) {
    for (const m of hostMounts(file)) {
      if (m.kind !== 'other') continue;
      if (m.format === 'kubernetes') {
        ctx.report({
          messageId: 'other',
          data: { subject: m.subject, path: m.shown, mounts: m.mounts },
          at: m.at,
          identity: m.subject,
          value: m.path,
        });
      } else if (m.source === 'device') {
        ctx.report({ messageId: 'device', data: { subject: m.subject, path: m.shown }, at: m.at, identity: m.subject, value: m.path });
      } else if (!m.relative) {
        ctx.report({
          messageId: 'composeBind',
          data: { subject: m.subject, path: m.shown },
          at: m.at,
          identity: m.subject,
          value: m.path,
          level: 'note',
        });
      }
    }
  },
};

import type { Rule } from '../rule.js';
import { asBool } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { forEachContainer, podLevelHint } from './util.js';

/** Containers should run with a read-only root file system. */
export const rule: Rule = {
  meta: {
    id: 'writable-root-filesystem',
    title: 'Writable root file system',
    level: 'warning',
    securitySeverity: 4.0,
    precision: 'very-high',
    description: 'A container does not set readOnlyRootFilesystem: true.',
    why: 'With a writable root file system an attacker who gets code execution can drop tools, replace binaries or persist changes inside the container, and the image no longer tells you what runs. Microsoft\'s "Best practices for pod security in AKS" asks for the least privileges a container needs; a read-only root is the usual hardening for that, and it makes the container\'s writes explicit (one `emptyDir` per place it really writes).',
    fix: 'Make the root read-only and give the application explicit writable directories:\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      readOnlyRootFilesystem: true\n    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\nvolumes:\n  - name: tmp\n    emptyDir: {}\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    messages: {
      missing: '{container} has a writable root file system: set readOnlyRootFilesystem: true{hint}.',
      disabled: '{container} sets readOnlyRootFilesystem to {value}: its root file system is writable.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const field = containerField(c, 'readOnlyRootFilesystem');
      if (!field) {
        ctx.report({
          messageId: 'missing',
          data: { container: c.label, hint: podLevelHint(c, 'readOnlyRootFilesystem') },
          at: c.anchor,
          identity: c.label,
        });
        return;
      }
      if (asBool(field.value) === true) return;
      const value = field.value.kind === 'scalar' ? field.value.text || 'null' : field.value.kind;
      ctx.report({ messageId: 'disabled', data: { container: c.label, value }, at: field, identity: c.label });
    });
  },
};

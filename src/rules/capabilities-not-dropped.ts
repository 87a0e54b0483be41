import type { Rule } from '../rule.js';
import { getPair } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { capabilityItems, forEachContainer, isWindowsPod, podLevelHint } from './util.js';

/** Containers must drop ALL capabilities. */
export const rule: Rule = {
  meta: {
    id: 'capabilities-not-dropped',
    title: 'Capabilities not dropped',
    level: 'warning',
    securitySeverity: 5.5,
    precision: 'very-high',
    description: 'A container does not drop ALL Linux capabilities (securityContext.capabilities.drop).',
    why: 'Container runtimes give every container a default set of capabilities (CHOWN, NET_RAW, SETUID, MKNOD...). Most applications need none of them, and some are useful to an attacker: `NET_RAW` allows ARP and DNS spoofing inside the cluster network. Microsoft\'s "Best practices for pod security in AKS" asks for the least privileges needed; the Pod Security Standards *restricted* profile requires `drop: ["ALL"]`.',
    fix: 'Drop everything, then add back only what the process needs:\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'restricted',
    silentUnless: 'Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.',
    messages: {
      missing: '{container} does not drop ALL capabilities{hint}.',
      spelling: '{container} drops "{value}": write it as "ALL", the only spelling Pod Security admission accepts.',
      incomplete: "{container} drops some capabilities but not ALL: the rest of the runtime's default set stays.",
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const drops = capabilityItems(c, 'drop');
      // Pod Security admission compares the exact string "ALL"; `all` or `CAP_ALL` fail it.
      if (drops.some((i) => i.node.kind === 'scalar' && i.node.text === 'ALL')) return;
      const spelled = drops.find((i) => i.name === 'ALL');
      if (spelled) {
        const value = spelled.node.kind === 'scalar' ? spelled.node.text : 'ALL';
        ctx.report({ messageId: 'spelling', data: { container: c.label, value }, at: spelled.node, identity: c.label, value });
        return;
      }
      const capabilities = containerField(c, 'capabilities');
      const drop = getPair(capabilities?.value, 'drop');
      if (drop) {
        ctx.report({ messageId: 'incomplete', data: { container: c.label }, at: drop, identity: c.label });
        return;
      }
      ctx.report({
        messageId: 'missing',
        data: { container: c.label, hint: podLevelHint(c, 'capabilities') },
        at: capabilities ?? c.anchor,
        identity: c.label,
      });
    });
  },
};

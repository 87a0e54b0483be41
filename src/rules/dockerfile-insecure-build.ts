import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';
import { flagOf } from '../parse/dockerfile-shell.js';
import { isDockerFile } from './util.js';

/** `RUN --security=insecure` runs a build step with every privilege of the build host. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-insecure-build',
    title: 'RUN --security=insecure',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'very-high',
    description: 'A RUN instruction sets `--security=insecure`, which runs the step as a privileged container on the build host.',
    why: 'An insecure RUN step is the build-time twin of a privileged container: the command (and every script it downloads) gets all capabilities and the host devices of the builder, so a compromised dependency owns the build machine and every secret it holds. Microsoft asks that containers get only the privileges they need ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).',
    fix: 'Remove the flag and do the privileged work elsewhere (a CI step, a prebuilt base image):\n\n```dockerfile\nRUN make install\n```',
    tags: ['security', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      insecure: 'RUN --security=insecure runs this step with every privilege of the build host. Remove the flag.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const flag = flagOf(ins, 'security');
      if (flag?.getValue()?.toLowerCase() !== 'insecure') continue;
      ctx.report({ messageId: 'insecure', at: dfRange(flag.getRange()), identity: 'RUN --security=insecure' });
    }
  },
};

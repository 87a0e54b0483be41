import type { Rule } from '../rule.js';
import { instructionText, textRange } from '../parse/dockerfile-shell.js';
import { isDockerFile } from './util.js';

// `chmod [-R] MODE`: the mode after any options.
const CHMOD =
  /(?<![\w.-])chmod[ \t]+((?:-[A-Za-z]+[ \t]+|--[a-z-]+[ \t]+){0,4})([0-7]{3,4}|[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*){0,8})(?=[ \t])/g;

/** True when a chmod mode makes files writable by every user (sticky-bit directories aside). */
export function worldWritable(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    // 1777 is the shared-directory mode of /tmp: anyone may write, only owners may delete.
    if ((Number(digits[0]) & 1) === 1) return false;
    return (Number(digits[3]) & 2) === 2;
  }
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    return m !== null && /[oa]/.test(m[1]!) && m[2] !== '-' && m[3]!.includes('w');
  });
}

/** World-writable files let any process in the container (any user) change them. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-world-writable',
    title: 'World-writable chmod in the image',
    level: 'warning',
    securitySeverity: 4.5,
    precision: 'high',
    description:
      'A RUN instruction makes files writable by every user: `chmod 777`, `666`, `o+w`, `a+w` (the sticky-bit `1777` of shared directories is fine).',
    why: 'A world-writable binary, script or config lets any process in the container, whatever its user, change what the app runs or reads: a foothold as an unprivileged user becomes code execution as the app, or as root when root runs the file. Running as non-root only helps when the files are not writable by everyone ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).',
    fix: 'Give the app user ownership of what it writes, and keep the rest read-only:\n\n```dockerfile\nCOPY --chown=10001:10001 --chmod=0755 app /app\nRUN install -d -o 10001 -g 10001 -m 0750 /app/data\n```',
    tags: ['security', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      worldWritable:
        'RUN chmod makes files writable by every user. Give the app user ownership (chown, COPY --chown) and a mode such as 755 or 750.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const t = instructionText(file, ins);
      if (!t || !t.text.includes('chmod')) continue;
      CHMOD.lastIndex = 0;
      for (let m = CHMOD.exec(t.text); m; m = CHMOD.exec(t.text)) {
        const mode = m[2]!;
        if (!worldWritable(mode)) continue;
        const from = m.index + m[0].length - mode.length;
        ctx.report({ messageId: 'worldWritable', at: textRange(file, t, from, from + mode.length), identity: 'RUN chmod', value: mode });
        // One finding per instruction.
        break;
      }
    }
  },
};

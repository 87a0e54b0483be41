import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';

// Command position: start, after a shell operator, a subshell or a keyword that runs a command.
const SUDO = /(^|[;&|(`\n]|\$\(|\b(?:then|do|else|exec|xargs|env|time|nohup)[ \t]+)([ \t]*)(sudo)(?=[ \t\n;&|)]|$)/g;
const EXEC_SUDO = /^\[\s*"(sudo)"/;

/** `sudo` in RUN: unpredictable in builds, and a root escalation path left in the image. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-sudo',
    title: 'sudo in a Dockerfile RUN',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    description:
      'A RUN instruction calls sudo (shell or exec form, continuations and heredocs included); one finding per instruction, at its first sudo.',
    why: 'sudo needs a TTY and a sudoers entry, behaves differently across base images and hides which steps need root. An image that keeps sudo for its app user lets anyone who gets a shell become root, undoing the non-root user the AKS pod security practice asks for ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).',
    fix: 'Run the privileged steps as root before switching users, then drop to the app user:\n\n```dockerfile\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n```',
    tags: ['security', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      sudo: 'RUN calls sudo. Run the step as root before USER switches away (USER root ... USER 10001) instead of keeping sudo in the image.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'dockerfile') return;
    const src = file.source;
    const escape = file.model.ast.getEscapeCharacter();
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const args = ins.getArguments();
      const first = args[0];
      if (!first) continue;
      const startPos = dfRange(first.getRange()).start;
      const endPos = dfRange(ins.getRange()).end;
      const start = src.lines.lineStart(startPos.line) + startPos.column - 1;
      const end = src.lines.lineStart(endPos.line) + endPos.column - 1;
      const raw = src.text.slice(start, end);
      // Blank out line continuations and the comment lines Docker drops inside them, keeping offsets,
      // so only real newlines (heredoc bodies) separate commands.
      const cont = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n)*`, 'g');
      const text = raw.replace(cont, (m) => ' '.repeat(m.length));
      // One finding per instruction, at its first sudo: the fix (run the step as root) is one change.
      let offset: number | undefined;
      if (EXEC_SUDO.test(text)) offset = text.indexOf('sudo');
      else {
        SUDO.lastIndex = 0;
        const m = SUDO.exec(text);
        if (m) offset = m.index + m[1]!.length + m[2]!.length;
      }
      if (offset === undefined) continue;
      const at = src.lines.range(start + offset, start + offset + 4);
      ctx.report({ messageId: 'sudo', at, identity: 'RUN sudo' });
    }
  },
};

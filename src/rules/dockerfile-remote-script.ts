import type { Rule } from '../rule.js';
import { instructionText, textRange } from '../parse/dockerfile-shell.js';
import { isDockerFile } from './util.js';

const SHELLS =
  '(?:sudo[ \\t]+(?:-[A-Za-z]+[ \\t]+)*)?(?:/[\\w./-]{0,64}/)?(?:env[ \\t]+)?(?:sh|bash|zsh|ash|dash|ksh|python[23]?|perl|ruby|node|php)(?![\\w./-])';
// `curl ... | sh`, `wget -qO- ... | bash`: bounded spans, no nested quantifiers (linear time). The
// shell word must end there, so a pipe into `/usr/share/...` or `shasum` is not a shell.
const PIPED = new RegExp(`\\b(curl|wget)\\b[^|;&\\n]{0,2000}\\|[ \\t]*${SHELLS}`, 'g');
// `bash -c "$(curl ...)"`, `sh <(wget ...)`.
const SUBSTITUTED = new RegExp(`${SHELLS}[ \\t]+(?:-[A-Za-z]+[ \\t]+)*["']?(?:\\$\\(|<\\()[ \\t]*(curl|wget)\\b`, 'g');

/** Remote code piped into a shell runs whatever the server sends, unverified. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-remote-script',
    title: 'Remote script piped into a shell',
    level: 'warning',
    securitySeverity: 6.0,
    precision: 'high',
    description:
      'A RUN instruction pipes curl or wget output into a shell or interpreter (`curl ... | sh`, `bash -c "$(curl ...)"`, `sh <(wget ...)`) without verifying it.',
    why: 'The script is whatever the server returns at build time: a compromised host, a hijacked domain or a truncated download runs as root in your build, and the next build may run something else. Downloading to a file and checking its checksum or signature first makes the build fail instead. Microsoft asks for known, verified image content ([Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management)).',
    fix: 'Download, verify, then run:\n\n```dockerfile\nRUN curl -fsSLo /tmp/install.sh https://example.com/install-1.2.3.sh \\\n && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh && rm /tmp/install.sh\n```\n\nBetter: install from the distribution\'s package manager, or `COPY --from` a pinned image that ships the tool.',
    tags: ['security', 'supply-chain', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      piped:
        'RUN pipes a download into a shell, running whatever the server sends without verifying it. Download to a file, check its checksum, then run it.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const t = instructionText(file, ins);
      if (!t || !/curl|wget/.test(t.text)) continue;
      PIPED.lastIndex = 0;
      SUBSTITUTED.lastIndex = 0;
      const m = PIPED.exec(t.text);
      const s = SUBSTITUTED.exec(t.text);
      // One finding per instruction, at the first download that feeds a shell.
      const at = [m ? m.index : -1, s ? s.index + s[0].length - s[1]!.length : -1].filter((x) => x >= 0);
      if (at.length === 0) continue;
      const from = Math.min(...at);
      ctx.report({ messageId: 'piped', at: textRange(file, t, from, from + 4), identity: 'RUN remote script' });
    }
  },
};

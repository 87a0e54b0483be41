import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';
import { flagOf } from '../parse/dockerfile-shell.js';
import { isDockerFile } from './util.js';

// Git sources are pinned by commit in the URL fragment, not by --checksum.
const GIT_URL = /(\.git(#|$)|^git@|^git:\/\/)/i;

/** `ADD <url>` puts whatever the server returns into the image unless a checksum pins it. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-add-url',
    title: 'ADD of a URL without --checksum',
    level: 'warning',
    securitySeverity: 5.5,
    precision: 'high',
    description: 'An ADD instruction downloads an http(s) URL without `--checksum=sha256:...` (git sources are left out).',
    why: 'ADD fetches the URL at build time and trusts whatever comes back: a compromised or changed server, or a redirect, puts other bytes into the image with no change in the Dockerfile. A checksum makes the build fail instead. Microsoft asks for known, verified image content ([Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management)).',
    fix: 'Pin the download (BuildKit, Dockerfile syntax 1.6 or later):\n\n```dockerfile\n# syntax=docker/dockerfile:1\nADD --checksum=sha256:<sha256 of the file> https://example.com/tool-1.2.3.tar.gz /tmp/\n```\n\nOr download in a RUN step that verifies the checksum (`echo "<sha256>  tool.tgz" | sha256sum -c -`).',
    tags: ['security', 'supply-chain', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      noChecksum:
        'ADD downloads a URL without --checksum, so whatever the server returns lands in the image. Add --checksum=sha256:<digest>.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'ADD' || flagOf(ins, 'checksum')) continue;
      for (const arg of ins.getArguments().slice(0, -1)) {
        const src = arg.getValue();
        if (!/^https?:\/\//i.test(src) || GIT_URL.test(src)) continue;
        ctx.report({ messageId: 'noChecksum', at: dfRange(arg.getRange()), identity: 'ADD url', value: src });
      }
    }
  },
};

import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';
import { keyMaterial } from './secret-dockerfile-copy.js';
import { isDockerFile } from './util.js';

/** COPY/ADD of a package registry config, which often carries a token into the image. */
export const rule: Rule = {
  meta: {
    id: 'secret-dockerfile-registry-config',
    formerIds: ['secret-dockerfile-copy'],
    title: 'Package registry config copied into the image',
    level: 'warning',
    securitySeverity: 5.5,
    precision: 'medium',
    description: 'COPY or ADD of `.npmrc` or `.pypirc` into an image layer.',
    why: "These files often hold only the registry URL, but the token of a private feed usually sits beside it, and a copied file stays in its layer even when a later `RUN rm` deletes it. Microsoft's container guidance says images carry no credentials ([Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)).",
    fix: 'Mount the file for the one step that needs it:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# docker build --secret id=npmrc,src=$HOME/.npmrc .\n```',
    tags: ['security', 'secrets', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      registryConfig: '{instruction} copies {what} into an image layer; a token in it ships with the image.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      const keyword = ins.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      for (const arg of ins.getArguments().slice(0, -1)) {
        const path = arg.getValue().replace(/^\[|,$|\]$/g, '');
        if (path.startsWith('<<') || /^[a-z]+:\/\//i.test(path)) continue;
        const hit = keyMaterial(path);
        if (!hit?.weak) continue;
        ctx.report({
          messageId: 'registryConfig',
          data: { instruction: keyword, what: hit.what },
          at: dfRange(arg.getRange()),
          identity: `${keyword} ${path}`,
        });
      }
    }
  },
};

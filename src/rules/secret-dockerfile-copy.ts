import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';
import { isDockerFile } from './util.js';

/** What a copied path is, when it is key material; `weak` when the file often holds only settings. */
export function keyMaterial(path: string): { what: string; weak: boolean } | undefined {
  const clean = path.replace(/^["']|["']$/g, '').replace(/\/+$/, '');
  const lower = clean.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (/^\.env($|\.|\*)/.test(base) && !/\.(example|sample|template|dist|defaults?|schema)$/.test(base)) {
    return { what: 'an environment file', weak: false };
  }
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base)) return { what: 'an SSH private key', weak: false };
  // Host keys by name or glob (`ssh_host_*_key*`); a glob ending in `*` takes the private key too.
  if (/^ssh_host_[a-z0-9*]*_?key\*?$/.test(base) || /^ssh_host_\*$/.test(base)) return { what: 'SSH host private keys', weak: false };
  if (base === '.htpasswd' || base === 'htpasswd') return { what: 'a password hash file (.htpasswd)', weak: false };
  if (/\.(jks|keystore|bks|jceks)$/.test(base)) return { what: 'a Java keystore', weak: false };
  if (
    /^(application_default_credentials|credentials|client_secrets?|service[-_]?account[-_a-z0-9*]*|gcp[-_]?key[-_a-z0-9*]*|sa[-_]key)\.json$/.test(
      base,
    ) ||
    /(^|\/)(\.config\/gcloud|gcloud)(\/|$)/.test(lower)
  ) {
    return { what: 'cloud credentials (service account or OAuth client JSON)', weak: false };
  }
  if (base === '.ssh') return { what: 'an SSH directory', weak: false };
  if (/\.(p12|pfx)$/.test(base)) return { what: 'a PKCS#12 key bundle', weak: false };
  if (/\.key$/.test(base) && !/\.pub\.key$/.test(base)) return { what: 'a private key file', weak: false };
  // Certificates and CA bundles are public; only other .pem files are taken for keys.
  if (/\.pem$/.test(base) && !/(cert|crt|^ca[-_.]|[-_.]ca[-_.]|chain|bundle|pub|public|root)/.test(base)) {
    return { what: 'a PEM key file', weak: false };
  }
  if (base === '.netrc' || base === '.git-credentials') return { what: 'a credentials file', weak: false };
  if (base === '.npmrc' || base === '.pypirc') return { what: 'a package registry config (usually holding a token)', weak: true };
  if (/(^|\/)\.docker\/config\.json$/.test(lower) || base === '.docker') return { what: 'Docker registry credentials', weak: false };
  if (/(^|\/)\.aws\/credentials$/.test(lower) || base === '.aws') return { what: 'AWS credentials', weak: false };
  if (/(^|\/)\.kube\/config$/.test(lower) || base === '.kube' || base === 'kubeconfig') return { what: 'a kubeconfig', weak: false };
  if (/(^|\/)\.azure$/.test(lower)) return { what: 'Azure CLI credentials', weak: false };
  return undefined;
}

/** COPY/ADD must not put key material into an image layer. */
export const rule: Rule = {
  meta: {
    id: 'secret-dockerfile-copy',
    title: 'Key material copied into the image',
    level: 'error',
    securitySeverity: 8.5,
    precision: 'high',
    description:
      'COPY or ADD of `.env` files, SSH keys (user and host keys, by name or glob such as `ssh_host_*_key*`), `*.pem`/`*.key`/`*.p12`/`*.pfx`, Java keystores (`*.jks`, `*.keystore`), `.htpasswd`, `.netrc`, `.docker/config.json`, `.aws/credentials`, cloud credential JSON (`credentials.json`, `service-account*.json`, gcloud config) or a kubeconfig. `.npmrc` and `.pypirc` are secret-dockerfile-registry-config.',
    why: "Microsoft's container guidance says images carry no credentials ([Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). A copied key stays in its layer even when a later `RUN rm` deletes it, so everyone who can pull the image (or its build cache) can extract it with `docker save`.",
    fix: 'Mount the file for the one build step that needs it; it never lands in a layer:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# docker build --secret id=npmrc,src=$HOME/.npmrc .\nRUN --mount=type=ssh git clone git@github.com:org/private.git\n```\n\nAt runtime, mount secrets from Key Vault (Secrets Store CSI driver) instead of baking them in, and add the files to `.dockerignore`.',
    tags: ['security', 'secrets', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      keyMaterial: '{instruction} copies {what} ("{path}") into an image layer, where anyone who pulls the image can read it.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      const keyword = ins.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      const args = ins.getArguments();
      // The last argument is the destination; heredoc sources (`<<EOF`) are inline content.
      for (const arg of args.slice(0, -1)) {
        const path = arg.getValue().replace(/^\[|,$|\]$/g, '');
        if (path.startsWith('<<') || /^[a-z]+:\/\//i.test(path)) continue;
        const hit = keyMaterial(path);
        // Registry configs often hold only a URL: secret-dockerfile-registry-config, at its own level.
        if (!hit || hit.weak) continue;
        ctx.report({
          messageId: 'keyMaterial',
          data: { instruction: keyword, what: hit.what, path },
          at: dfRange(arg.getRange()),
          identity: `${keyword} ${path}`,
        });
      }
    }
  },
};

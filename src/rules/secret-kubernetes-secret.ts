import type { Rule } from './api.js';
import { asMap, asText, get } from '../parse/yaml.js';
import type { YPair } from '../parse/yaml.js';
import { describeSecret } from '../report/redact.js';
import { findTokens } from '../secrets/detectors.js';
import { isPlaceholder, isReference } from '../secrets/heuristics.js';
import { isYamlFile } from './util.js';

/** Strict base64 (what the API server accepts for `data`), decoded; undefined when not base64. */
function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Auth values of a `.dockerconfigjson` document: `auths.<registry>.auth` / `.password`. */
function dockerAuths(json: string): { registry: string; secret: string; password: string; decoded?: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const auths = (parsed as { auths?: unknown })?.auths;
  if (!auths || typeof auths !== 'object') return [];
  const out: { registry: string; secret: string; password: string; decoded?: string }[] = [];
  for (const [registry, entry] of Object.entries(auths as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const auth = typeof e.auth === 'string' ? e.auth : undefined;
    const password = typeof e.password === 'string' ? e.password : typeof e.identitytoken === 'string' ? e.identitytoken : undefined;
    if (auth) {
      const decoded = decodeBase64(auth);
      const pass = decoded?.slice(decoded.indexOf(':') + 1);
      if (!pass || isPlaceholder(pass) || isReference(pass)) continue;
      out.push({ registry, secret: auth, password: pass, decoded });
    } else if (password && !isPlaceholder(password) && !isReference(password)) {
      out.push({ registry, secret: password, password });
    }
  }
  return out;
}

/** Kubernetes Secret objects must not be committed with plaintext data. */
export const rule: Rule = {
  meta: {
    id: 'secret-kubernetes-secret',
    title: 'Plaintext Kubernetes Secret committed',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'high',
    description:
      'A `kind: Secret` manifest carries literal `data` (base64 is an encoding, not encryption) or `stringData` values, including `.dockerconfigjson` registry credentials.',
    why: "Microsoft's AKS and container guidance ([Best practices for pod security in AKS](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)) says credentials never live in code or images: keep them in Azure Key Vault and mount them with the Secrets Store CSI driver, or use workload identity so there is no secret at all. A Secret manifest in git hands every reader of the repository, every fork and every CI log the credential; its base64 `data` decodes with one command. Encrypted forms (Sealed Secrets, SOPS) and references (ExternalSecret, SecretProviderClass) are not reported.",
    fix: 'Delete the Secret from git, rotate the credential, and let the cluster fetch it from Key Vault:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-secrets\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload-identity-client-id>\n    keyvaultName: my-vault\n    tenantId: <tenant-id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n  secretObjects:            # optional: sync to a Kubernetes Secret for env vars\n    - secretName: app-secrets\n      type: Opaque\n      data:\n        - objectName: db-password\n          key: password\n```\n\nOr commit only an encrypted form (SealedSecret, SOPS) or an ExternalSecret that points at the vault.',
    tags: ['security', 'secrets', 'kubernetes'],
    kinds: ['kubernetes'],
    messages: {
      data: '{object} data key "{key}" holds a plaintext value (base64 only encodes it; {desc}).',
      dataToken: '{object} {field} key "{key}" holds a {tokenType} in plaintext ({desc}).',
      stringData: '{object} stringData key "{key}" holds a plaintext value ({desc}).',
      dockerAuth: '{object} registry credentials for "{registry}" are committed in .dockerconfigjson ({desc}).',
    },
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    // A SOPS-encrypted file carries a top-level `sops:` block; its values are ciphertext.
    if (file.docs.some((d) => get(d.root ?? undefined, 'sops') !== undefined)) return;
    for (const obj of file.objects) {
      if (obj.kind !== 'Secret') continue;
      const type = asText(get(obj.node, 'type')) ?? 'Opaque';
      const report = (messageId: string, pair: YPair, value: string, forms: string[], data: Record<string, string>): void => {
        ctx.report({
          messageId,
          data: { object: obj.label, key: pair.keyText, desc: describeSecret(value), ...data },
          at: pair,
          identity: `${obj.label} ${pair.keyText}`,
          secret: value,
          secretForms: forms,
        });
      };
      for (const [field, base64] of [
        ['data', true],
        ['stringData', false],
      ] as const) {
        const map = asMap(get(obj.node, field));
        if (!map) continue;
        for (const pair of map.pairs) {
          const raw = asText(pair.value);
          if (raw === undefined || raw.trim() === '' || raw.startsWith('ENC[')) continue;
          const decoded = base64 ? (decodeBase64(raw) ?? raw) : raw;
          if (isPlaceholder(decoded) || isReference(decoded)) continue;
          const forms = decoded === raw ? [] : [decoded];
          if (pair.keyText === '.dockerconfigjson' || pair.keyText === '.dockercfg') {
            const auths = dockerAuths(decoded);
            for (const a of auths) {
              ctx.report({
                messageId: 'dockerAuth',
                data: { object: obj.label, registry: a.registry, desc: describeSecret(a.password) },
                at: pair,
                identity: `${obj.label} ${a.registry}`,
                secret: raw,
                secretForms: [decoded, a.secret, a.password, ...(a.decoded ? [a.decoded] : [])],
              });
            }
            if (auths.length > 0 || type === 'kubernetes.io/dockerconfigjson') continue;
          }
          const token = findTokens(decoded)[0];
          if (token) {
            report('dataToken', pair, decoded, [raw, token.value], { tokenType: token.label, field });
          } else {
            report(base64 ? 'data' : 'stringData', pair, decoded, base64 ? [raw] : forms, {});
          }
        }
      }
    }
  },
};

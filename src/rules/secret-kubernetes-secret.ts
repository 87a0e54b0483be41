import type { Rule } from '../rule.js';
import { get } from '../parse/yaml.js';
import { keyList, secretContents } from '../secrets/secret-object.js';
import { isYamlFile } from './util.js';

/** Kubernetes Secret objects must not be committed with plaintext data. */
export const rule: Rule = {
  meta: {
    id: 'secret-kubernetes-secret',
    title: 'Plaintext Kubernetes Secret committed',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'high',
    description:
      'A `kind: Secret` manifest carries literal credentials in `data` (base64 is an encoding, not encryption) or `stringData`: one finding per Secret, at its `data`/`stringData` key, naming the keys that hold values. A credential is a key named like one (`password`, `token`, `tls.key`, `*_key`), a known token format, a random-looking value, or `.dockerconfigjson` registry credentials. A Secret holding only settings is secret-kubernetes-settings; documentation placeholders (`<token>`, `REPLACE_ME`, a value equal to its key name) are not credentials.',
    why: "Microsoft's AKS and container guidance says credentials never live in code or images ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)): keep them in Azure Key Vault and mount them with the Secrets Store CSI driver, or use workload identity so there is no secret at all. A Secret manifest in git hands every reader of the repository, every fork and every CI log the credential; its base64 `data` decodes with one command. Encrypted forms (Sealed Secrets, SOPS) and references (ExternalSecret, SecretProviderClass) are not reported.",
    fix: 'Delete the Secret from git, rotate the credential, and let the cluster fetch it from Key Vault:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-secrets\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload-identity-client-id>\n    keyvaultName: my-vault\n    tenantId: <tenant-id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n  secretObjects:            # optional: sync to a Kubernetes Secret for env vars\n    - secretName: app-secrets\n      type: Opaque\n      data:\n        - objectName: db-password\n          key: password\n```\n\nOr commit only an encrypted form (SealedSecret, SOPS) or an ExternalSecret that points at the vault.',
    tags: ['security', 'secrets', 'kubernetes'],
    kinds: ['kubernetes'],
    messages: {
      credentials:
        '{object} commits plaintext values under {fields} (keys: {keys}); {credentialKeys} hold credentials. base64 only encodes them.',
      token: '{object} commits plaintext values under {fields} (keys: {keys}), among them a {tokenType}.',
      dockerAuth: '{object} commits registry credentials for {registries} in its .dockerconfigjson (keys: {keys}).',
    },
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    // A SOPS-encrypted file carries a top-level `sops:` block; its values are ciphertext.
    if (file.docs.some((d) => get(d.root ?? undefined, 'sops') !== undefined)) return;
    for (const obj of file.objects) {
      if (obj.kind !== 'Secret') continue;
      const contents = secretContents(obj);
      const credentials = contents?.entries.filter((e) => e.credential) ?? [];
      if (!contents || credentials.length === 0) continue;
      const keys = keyList(contents.entries.map((e) => e.key));
      const fields = [...new Set(contents.entries.map((e) => e.field))].join(' and ');
      // Every credential value, in each spelling, is redacted; the settings beside them are not secrets.
      const forms = credentials.flatMap((e) => (e.raw === e.decoded ? [e.raw] : [e.raw, e.decoded]));
      forms.push(...contents.registries.flatMap((r) => r.secrets));
      if (contents.token) forms.push(contents.token.value);
      const base = {
        at: contents.at,
        identity: obj.label,
        secret: credentials[0]!.decoded,
        secretForms: forms,
      };
      if (contents.registries.length > 0) {
        const registries = keyList(contents.registries.map((r) => r.registry));
        ctx.report({ ...base, messageId: 'dockerAuth', data: { object: obj.label, registries, keys } });
      } else if (contents.token) {
        ctx.report({ ...base, messageId: 'token', data: { object: obj.label, fields, keys, tokenType: contents.token.label } });
      } else {
        const credentialKeys = keyList(credentials.map((e) => e.key));
        ctx.report({ ...base, messageId: 'credentials', data: { object: obj.label, fields, keys, credentialKeys } });
      }
    }
  },
};

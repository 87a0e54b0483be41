import type { Rule } from '../rule.js';
import { asItems, asMap, asText, get, getPair } from '../parse/yaml.js';
import { aciGroups, isExpression } from '../parse/aci.js';
import { describeSecret } from '../redact.js';
import { isPlaceholder, isReference } from '../secrets/heuristics.js';

/** Decodes a base64 value, when it is one (ACI secret volumes carry base64). */
function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  const text = Buffer.from(compact, 'base64').toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

const committed = (value: string | undefined): value is string =>
  value !== undefined && value.trim() !== '' && !isPlaceholder(value) && !isReference(value) && !isExpression(value);

/** ACI secret volumes and Azure Files keys must not be committed. */
export const rule: Rule = {
  meta: {
    id: 'secret-aci-volume',
    title: 'ACI volume secret committed',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    description:
      'An Azure Container Instances group commits a `secret` volume value (base64, not encrypted) or an `azureFile.storageAccountKey` literal.',
    why: 'The values of an ACI `secret` volume are only base64-encoded: anyone who can read the file reads the secret. An Azure Files storage account key opens the whole storage account, not just the share. Microsoft\'s ["Security considerations for Azure Container Instances"](https://learn.microsoft.com/azure/container-instances/container-instances-image-security) asks to protect credentials and keep them in a secret manager such as Azure Key Vault.',
    fix: 'Pass the values at deployment (ARM `securestring` parameters, Key Vault references, or `az container create --secrets`/`--azure-file-volume-account-key`) and keep the file free of them:\n\n```json\n"volumes": [\n  {\n    "name": "secrets",\n    "secret": { "api-key": "[base64(parameters(\'apiKey\'))]" }\n  }\n]\n```\n\nRotate the committed values.',
    tags: ['security', 'secrets', 'aci'],
    kinds: ['aci'],
    messages: {
      secretVolume:
        'Container group "{group}" commits the value of "{key}" in the secret volume "{volume}" ({desc}); base64 is not encryption.',
      storageKey: 'Container group "{group}" commits the storage account key of the Azure Files volume "{volume}" ({desc}).',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'aci') return;
    for (const g of aciGroups(file.docs)) {
      for (const vol of asItems(get(g.props, 'volumes'))) {
        const volume = asText(get(vol, 'name')) ?? '(unnamed)';
        for (const pair of asMap(get(vol, 'secret'))?.pairs ?? []) {
          const value = asText(pair.value);
          if (!committed(value)) continue;
          const decoded = decodeBase64(value);
          ctx.report({
            messageId: 'secretVolume',
            data: { group: g.name, volume, key: pair.keyText, desc: describeSecret(value) },
            at: pair,
            identity: `container group "${g.name}" volume "${volume}" ${pair.keyText}`,
            secret: value,
            ...(decoded && decoded !== value ? { secretForms: [decoded] } : {}),
          });
        }
        const key = getPair(get(vol, 'azureFile'), 'storageAccountKey');
        const keyValue = asText(key?.value);
        if (key && committed(keyValue)) {
          ctx.report({
            messageId: 'storageKey',
            data: { group: g.name, volume, desc: describeSecret(keyValue) },
            at: key,
            identity: `container group "${g.name}" volume "${volume}"`,
            secret: keyValue,
          });
        }
      }
    }
  },
};

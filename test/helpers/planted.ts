/**
 * Generated, obviously fake but format-valid credentials of every type podguard detects, from a
 * seeded PRNG (stable across runs). Used by fixtures generation and the no-leak test.
 */
import { azureKeys, prng, randomString } from './secrets.js';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${B62}+/`;
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

/** A private key block with a random base64 body (`\n` or a literal `\\n` between lines). */
export function privateKeyBlock(rand: () => number, type = 'RSA PRIVATE KEY', newline = '\n'): string {
  const lines = Array.from({ length: 12 }, () => randomString(rand, 64, B64));
  return `-----BEGIN ${type}-----${newline}${lines.join(newline)}${newline}-----END ${type}-----`;
}

/** Token values keyed by the secret-token message id that must report them. */
export function plantedTokens(seed = 42): Record<string, string> {
  const rand = prng(seed);
  const r = (n: number, a = B62): string => randomString(rand, n, a);
  const b64url = (s: string): string => Buffer.from(s).toString('base64url');
  return {
    ...azureKeys(seed * 7919 + 1),
    azureAnnotatedKey: `${r(52)}JQQJ99${r(1)}C${r(16)}A${r(7)}`,
    entraClientSecret: `${r(3)}8Q~${r(34, `${B62}_~.-`)}`,
    githubToken: `ghp_${r(36)}`,
    gitlabToken: `glpat-${r(20)}`,
    slackToken: `xoxb-${r(11, DIGITS)}-${r(12, DIGITS)}-${r(24)}`,
    slackWebhook: `T${r(8, UPPER32)}/B${r(8, UPPER32)}/${r(24)}`,
    npmToken: `npm_${r(36)}`,
    pypiToken: `pypi-AgEIcHlwaS5vcmc${r(70, `${B62}_-`)}`,
    dockerHubToken: `dckr_pat_${r(27)}`,
    awsAccessKeyId: `AKIA${r(16, UPPER32)}`,
    awsSecretKey: r(40, B64),
    gcpApiKey: `AIza${r(35)}`,
    gcpServiceAccount: r(40, HEX),
    azureStorageLegacyKey: `${r(86, B64)}==`,
    azureSharedAccessKey: `${r(43, B64)}=`,
    sasToken: `${r(43)}%3D`,
    connectionStringPassword: r(18),
    urlCredentials: r(18),
    jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${r(8)}","name":"Demo User","iat":1516239022}`)}.${r(43, `${B62}_-`)}`,
    privateKey: privateKeyBlock(rand),
  };
}

/** How a token appears in context (connection strings, URLs, key=value lines). */
export function inContext(id: string, value: string): string {
  switch (id) {
    case 'azureStorageLegacyKey':
      return `DefaultEndpointsProtocol=https;AccountName=demoacct;AccountKey=${value};EndpointSuffix=core.windows.net`;
    case 'azureSharedAccessKey':
      return `Endpoint=sb://demo-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${value}`;
    case 'sasToken':
      return `https://demoacct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${value}`;
    case 'connectionStringPassword':
      return `Server=tcp:sql-demo.database.windows.net,1433;Database=app;User ID=app;Password=${value};Encrypt=true`;
    case 'urlCredentials':
      return `postgres://app:${value}@db.internal:5432/app`;
    case 'awsSecretKey':
      return `aws_secret_access_key = ${value}`;
    case 'gcpServiceAccount':
      return `{"type": "service_account", "project_id": "demo", "private_key_id": "${value}"}`;
    case 'slackWebhook':
      return `https://hooks.slack.com/services/${value}`;
    default:
      return value;
  }
}

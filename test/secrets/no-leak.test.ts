/**
 * Plants more than 50 distinct generated secrets across every format, and proves each one is
 * found and none appears, as any 8-character piece, in any output (text, JSON, SARIF, summary).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/engine.js';
import { toText } from '../../src/report/text.js';
import { jsonText } from '../../src/report/json.js';
import { sarifText } from '../../src/report/sarif.js';
import { renderSummary } from '../../src/report/summary.js';
import { findLeaks, prng, randomString } from '../helpers/secrets.js';
import { inContext, plantedTokens } from '../helpers/planted.js';
import { sarifErrors } from '../helpers/sarif.js';

const rand = prng(2024);
const pw = (): string => `${randomString(rand, 6)}-${randomString(rand, 6)}-${randomString(rand, 6)}`;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Writes a repository of planted secrets; returns the secrets that must be found. */
function plant(root: string): string[] {
  const secrets: string[] = [];
  const put = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const s = (v: string): string => (secrets.push(v), v);

  const tokens = plantedTokens(77);
  const cm = Object.entries(tokens)
    .filter(([id]) => id !== 'privateKey')
    .map(([id, v]) => `  ${id}: '${inContext(id, s(v))}'`);
  put(
    'k8s/tokens.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n${cm.join('\n')}\n  key.pem: |\n    ${s(tokens.privateKey!).split('\n').join('\n    ')}\n`,
  );

  const reg = pw();
  const auth = b64(`puller:${s(reg)}`);
  put(
    'k8s/secrets.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${b64(s(pw()))}\n  token: ${b64(s(`ghp_${randomString(rand, 36)}`))}\nstringData:\n  api-key: "${s(pw())}"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'r.azurecr.io': { auth } } }))}\n`,
  );
  put(
    'k8s/deploy.yaml',
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          env:\n            - name: DB_PASSWORD\n              value: "${s(pw())}"\n            - name: signingSecret\n              value: ${s(pw())}\n            - name: AWS_SECRET_ACCESS_KEY\n              value: ${s(randomString(rand, 40))}\n`,
  );
  put(
    'compose/docker-compose.yml',
    `services:\n  web:\n    image: web:1\n    environment:\n      - JWT_SECRET=${s(pw())}\n      - ADMIN_PASSWORD="${s(pw())}"\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${s(pw())}\n      REDIS_AUTH_TOKEN: '${s(pw())}'\n`,
  );
  put(
    'aci/group.yaml',
    `apiVersion: 2021-10-01\nname: g\ntype: Microsoft.ContainerInstance/containerGroups\nproperties:\n  containers:\n    - name: web\n      properties:\n        image: r.azurecr.io/web:1\n        environmentVariables:\n          - name: SMTP_PASSWORD\n            value: ${s(pw())}\n          - name: ANYTHING\n            secureValue: ${s(pw())}\n  imageRegistryCredentials:\n    - server: r.azurecr.io\n      username: u\n      password: ${s(pw())}\n`,
  );
  put(
    'docker/Dockerfile',
    `FROM alpine:3.20\nARG DEPLOY_TOKEN=${s(pw())}\nENV DB_PASSWORD=${s(pw())} API_KEY="${s(pw())}"\nRUN docker login r.azurecr.io -u u -p ${s(pw())}\nRUN aws configure set aws_secret_access_key ${s(randomString(rand, 40))}\nRUN npm config set //npm.pkg.github.com/:_authToken ${s(randomString(rand, 24))}\nRUN curl -H "Authorization: Bearer ${s(`glpat-${randomString(rand, 20)}`)}" https://gitlab.com/api/v4/projects\n`,
  );
  return secrets;
}

describe('planted secrets', () => {
  it('finds every planted secret and never echoes one in any output', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-leak-'));
    const secrets = plant(root);
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(secrets.length).toBeGreaterThanOrEqual(50);

    const result = await scan({ root });
    // Multi-line values (key blocks) are registered as written, indentation included.
    const squash = (v: string): string => v.replace(/\s+/g, '');
    const registered = new Set(result.redactor.secrets.map(squash));
    expect(secrets.filter((v) => !registered.has(squash(v))).map((v) => `${v.slice(0, 4)}… (${v.length} chars)`)).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId.startsWith('secret-')).length).toBeGreaterThanOrEqual(50);

    const sarif = sarifText(result);
    expect(sarifErrors(JSON.parse(sarif))).toEqual([]);
    const outputs = {
      text: toText(result),
      json: jsonText(result),
      sarif,
      summary: renderSummary(result, { failOn: 'error', link: (f, l) => `https://example.test/${f}#L${l}` }),
    };
    // The decoded forms of base64 Secret data must not leak either.
    const forms = [...secrets, ...secrets.map(b64)];
    expect(findLeaks(outputs, forms)).toEqual([]);
  });

  it('the leak check finds an 8-character piece anywhere (the check itself can fail)', () => {
    expect(findLeaks({ log: 'token abcdEFGH12 here' }, ['xxabcdEFGHyy'])).toHaveLength(1);
    expect(findLeaks({ log: 'token abcdEFG here' }, ['xxabcdEFGHyy'])).toEqual([]);
  });
});

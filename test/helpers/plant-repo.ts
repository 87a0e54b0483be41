/**
 * A repository of planted, generated secrets across every format (Kubernetes, Secret objects,
 * compose, ACI, Dockerfile), for the no-leak tests of every output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng, randomString } from './secrets.js';
import { inContext, plantedTokens } from './planted.js';

/** Base64 of a string (how Secret data holds values). */
export const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Writes a repository of more than 50 planted secrets into `root`; returns the secrets that must be found. */
export function plantRepository(root: string): string[] {
  const rand = prng(2024);
  const pw = (): string => `${randomString(rand, 6)}-${randomString(rand, 6)}-${randomString(rand, 6)}`;
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

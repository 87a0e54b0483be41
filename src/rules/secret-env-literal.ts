import type { At, CrossFileRule, FinishContext, RuleContext } from '../rule.js';
import type { Arg, Env, Instruction, Property } from 'dockerfile-ast';
import { asItems, asMap, asText, get, getPair } from '../parse/yaml.js';
import { dfRange } from '../parse/dockerfile.js';
import type { Dotenv } from '../parse/dotenv.js';
import { aciContainers, composeServices } from '../parse/services.js';
import { describeSecret } from '../redact.js';
import { findTokens } from '../secrets/detectors.js';
import {
  isDefaultPassword,
  isLiteralSecret,
  isPasswordName,
  isPlaceholder,
  isReference,
  secretNameStrength,
} from '../secrets/heuristics.js';
import { forEachContainer, isDockerFile, isYamlFile, place, spot } from './util.js';
import type { Spot } from './util.js';

/**
 * True when `name` is secret-named and `value` is a committed credential. A value holding a known
 * token format is left to secret-token, which names the format: one finding per root cause.
 */
function literalSecret(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const strength = secretNameStrength(name);
  return strength !== undefined && isLiteralSecret(value, strength, name) && !findTokens(value).some((t) => t.level === 'error');
}

/** A literal secret in a compose project's .env, kept for `finish`. */
interface DotenvSecret extends Spot {
  name: string;
  value: string;
}

/**
 * The .env files seen beside compose files, by path: each entry holding a literal secret, by its
 * index in the file. Every compose file of a project reads the same .env; keyed like this, the
 * runs' states merge into one entry each, so the .env is reported once however many compose files
 * sit beside it and whichever threads checked them.
 */
interface State {
  dotenv: Map<string, Record<string, DotenvSecret>>;
}

/** What a message calls a published default password (`POSTGRES_PASSWORD=postgres`). */
const DEFAULT_PASSWORD = 'a well-known default password';

/**
 * How a report carries a literal credential: a published default is named, not masked (masking
 * `postgres` would garble every message naming the image), yet still a committed, guessable
 * credential; any other value is a secret, masked wherever it appears.
 */
function carried(name: string, value: string): { desc: string } & ({ value: string } | { secret: string }) {
  return isPasswordName(name) && isDefaultPassword(value)
    ? { desc: DEFAULT_PASSWORD, value }
    : { desc: describeSecret(value), secret: value };
}

/** Secret-named variables must not carry literal values. */
export const rule: CrossFileRule<State> = {
  meta: {
    id: 'secret-env-literal',
    title: 'Secret-named variable with a literal value',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    description:
      'A password, token, key or credential variable is set to a literal value: Kubernetes `env[].value` and ConfigMap `data`, ACI `environmentVariables` (`value`, and literal `secureValue`), compose `environment:` and the `.env` file beside a compose file, Dockerfile `ENV` and `ARG` defaults.',
    why: "Microsoft's guidance says credentials never live in code or images ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). A literal in a manifest is readable by everyone with the repository; a Dockerfile `ENV` or `ARG` value is baked into the image layers and its history (`docker history` shows it). An ACI `secureValue` is hidden by the API, but a literal one is still committed to git. Names are matched as whole parts, BuildKit style (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`; not `PUBLIC_KEY`, `KEY_VAULT_NAME` or `SECRET_NAME`); references (`$(VAR)`, `${VAR}`, `{{ }}`), paths such as `/run/secrets/db`, URLs without credentials, booleans, numbers, masks and documentation placeholders are ignored, and settings about a credential (`passwordPattern`, `PASSWORD_FILE`, `*_LENGTH`, `*_POLICY`, `*_URL`) are not credentials. A well-known default password (`POSTGRES_PASSWORD: postgres`, `SA_PASSWORD: example_123`) is a committed credential like any other. A value in a known token format is left to `secret-token`.",
    fix: 'Kubernetes: reference a Secret (synced from Key Vault by the Secrets Store CSI driver) instead of a literal:\n\n```yaml\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: db-password\n```\n\nAzure Container Instances: pass a `secureValue` at deploy time (`az container create --secure-environment-variables DB_PASSWORD=$DB_PASSWORD`, or a Key Vault reference in a Bicep/ARM parameter), never in the committed file.\n\ndocker-compose: `environment: [DB_PASSWORD]` (taken from the shell) or a `secrets:` file outside git.\n\nDockerfile: use a BuildKit secret during the build and runtime configuration afterwards:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n\nThen rotate the credential: it is in the git history.',
    tags: ['security', 'secrets'],
    kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
    messages: {
      kubernetes: '{container} sets env "{name}" to a literal value ({desc}); use valueFrom.secretKeyRef.',
      configMap:
        '{object} data key "{name}" holds a literal secret ({desc}); ConfigMaps are plain configuration: use a Secret synced from Key Vault.',
      aciValue: '{container} sets environment variable "{name}" to a literal value ({desc}); use a secureValue passed at deploy time.',
      aciSecureValue:
        '{container} commits the secureValue of "{name}" ({desc}): secure in the API, but readable in git; pass it at deploy time.',
      compose: '{service} sets environment "{name}" to a literal value ({desc}); take it from the shell or a secrets file.',
      dockerEnv: 'ENV {name} bakes a literal secret into the image ({desc}); use RUN --mount=type=secret.',
      dotenv:
        'The .env beside the compose file sets "{name}" to a literal secret ({desc}); keep .env out of git (.gitignore) and commit a .env.example without values.',
      dockerArg:
        'ARG {name} has a literal secret default ({desc}); build arguments stay in the image history: use RUN --mount=type=secret.',
    },
  },
  initialState: () => ({ dotenv: new Map() }),
  check(file, ctx) {
    const report = (messageId: string, at: At, name: string, value: string, data: Record<string, string>): void => {
      // Compose keeps quotes of `- KEY="value"` items; the value inside them is the secret too.
      const inner = /^(["']).+\1$/s.test(value) ? value.slice(1, -1) : undefined;
      const identity = `${data.container ?? data.service ?? data.object ?? ''} ${name}`;
      if (isPasswordName(name) && isDefaultPassword(inner ?? value)) {
        // A published default is no secret to mask in logs (masking `postgres` would garble every
        // message naming the image); it is still a committed, guessable credential.
        ctx.report({ messageId, data: { name, desc: DEFAULT_PASSWORD, ...data }, at, identity, value: inner ?? value });
        return;
      }
      ctx.report({
        messageId,
        data: { name, desc: describeSecret(inner ?? value), ...data },
        at,
        identity,
        secret: value,
        ...(inner ? { secretForms: [inner] } : {}),
      });
    };
    if (isDockerFile(file)) {
      checkDockerfile(file.model.ast.getInstructions(), ctx);
      return;
    }
    if (!isYamlFile(file)) return;
    if (file.kind === 'kubernetes') {
      // ConfigMap keys become environment variables through envFrom, so they are named like them.
      for (const obj of file.objects) {
        if (obj.kind !== 'ConfigMap') continue;
        for (const pair of asMap(get(obj.node, 'data'))?.pairs ?? []) {
          const value = asText(pair.value);
          if (value !== undefined && literalSecret(pair.keyText, value))
            report('configMap', pair, pair.keyText, value, { object: obj.label });
        }
      }
      forEachContainer(file, (c) => {
        for (const e of asItems(get(c.node, 'env'))) {
          const name = asText(get(e, 'name'));
          const valuePair = getPair(e, 'value');
          if (!name || !valuePair) continue;
          const value = asText(valuePair.value);
          if (value !== undefined && literalSecret(name, value)) report('kubernetes', valuePair, name, value, { container: c.label });
        }
      });
    } else if (file.kind === 'compose') {
      if (file.dotenv) rememberDotenv(file.dotenv, ctx.crossFile);
      for (const svc of composeServices(file)) {
        for (const e of svc.environment) {
          if (e.value !== undefined && literalSecret(e.name, e.value)) report('compose', e.nameAt, e.name, e.value, { service: svc.label });
        }
      }
    } else {
      for (const c of aciContainers(file)) {
        for (const e of c.environment) {
          const secure = asText(e.secureValue?.value);
          if (e.secureValue && secure !== undefined && secure.trim() !== '' && !isPlaceholder(secure) && !isReference(secure)) {
            report('aciSecureValue', e.secureValue, e.name, secure, { container: c.label });
          }
          const plain = asText(e.value?.value);
          if (e.value && plain !== undefined && literalSecret(e.name, plain))
            report('aciValue', e.value, e.name, plain, { container: c.label });
        }
      }
    }
  },
  finish: reportDotenv,
};

/** The committed .env of a compose project: its literal secrets, reported once by `finish`. */
function rememberDotenv(dotenv: Dotenv, state: State): void {
  const path = dotenv.source.path;
  if (state.dotenv.has(path)) return;
  const secrets: Record<string, DotenvSecret> = {};
  dotenv.entries.forEach((e, i) => {
    if (literalSecret(e.name, e.value))
      secrets[i] = { ...spot(dotenv.source, dotenv.source.lines.range(e.start, e.end)), name: e.name, value: e.value };
  });
  state.dotenv.set(path, secrets);
}

function reportDotenv(ctx: FinishContext<State>): void {
  for (const secrets of ctx.crossFile.dotenv.values()) {
    for (const e of Object.values(secrets)) {
      const { desc, ...literal } = carried(e.name, e.value);
      ctx.report({ messageId: 'dotenv', data: { name: e.name, desc }, ...place(e), identity: `.env ${e.name}`, ...literal });
    }
  }
}

function checkDockerfile(instructions: readonly Instruction[], ctx: RuleContext): void {
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    let props: Property[];
    if (keyword === 'ENV') props = (ins as Env).getProperties();
    else if (keyword === 'ARG') props = [(ins as Arg).getProperty()].filter((p): p is Property => p !== null);
    else continue;
    for (const p of props) {
      const name = p.getName();
      const value = p.getValue();
      const nameRange = p.getNameRange();
      const valueRange = p.getValueRange();
      if (!name || value === null || !valueRange || !literalSecret(name, value)) continue;
      const { desc, ...literal } = carried(name, value);
      ctx.report({
        messageId: keyword === 'ENV' ? 'dockerEnv' : 'dockerArg',
        data: { name, desc },
        at: dfRange({ start: nameRange.start, end: valueRange.end }),
        identity: `${keyword} ${name}`,
        ...literal,
      });
    }
  }
}

import type { Rule } from '../rule.js';
import { describeSecret } from '../redact.js';
import { isPlaceholder } from '../secrets/heuristics.js';
import { isDockerFile } from './util.js';

/**
 * A credential set-up command. `pattern` finds the command and captures its arguments (greedy,
 * bounded: consecutive commands never rescan the same text); `value` then finds the credential
 * in those arguments (group 2), or `pattern`'s group 2 is the credential when `value` is absent.
 */
export interface Setup {
  messageId: string;
  pattern: RegExp;
  value?: RegExp;
}

const PASSWORD_FLAG = /(?:^|\s)(?:-p|--password)(?:=|\s{1,10})(["']?)([^\s"';&|]{1,300})\1/;

/** Credential set-ups in RUN; linear-time (bounded repetitions, anchored on literal commands). */
export const SETUPS: readonly Setup[] = [
  { messageId: 'dockerLogin', pattern: /\bdocker\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  { messageId: 'dockerLogin', pattern: /\becho\s{1,10}(["']?)([^\s"'|]{1,300})\1\s{0,10}\|\s{0,10}docker\s{1,10}login\b[^\n;&|]{0,400}/g },
  { messageId: 'azLogin', pattern: /\baz\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  {
    messageId: 'awsConfigure',
    pattern: /\baws\s{1,10}configure\s{1,10}set\s{1,10}(?:[\w-]{1,40}\.)?aws_secret_access_key\s{1,10}(["']?)([^\s"';&|]{1,300})\1/g,
  },
  { messageId: 'registryToken', pattern: /(?:_authToken|:_auth|:_password)\s{0,3}[=\s]\s{0,3}(["']?)([^\s"';&|]{1,300})\1/g },
];

/** RUN must not set up credentials from values that end up in the image or its history. */
export const rule: Rule = {
  meta: {
    id: 'secret-dockerfile-run',
    title: 'Credential set up in a RUN step',
    level: 'error',
    securitySeverity: 8.5,
    precision: 'high',
    description:
      'A RUN step logs in or writes a credential (`docker login -p`, `az login -p`, `aws configure set aws_secret_access_key`, `_authToken=` in an `.npmrc`) without a BuildKit secret mount.',
    why: "Microsoft's container guidance says no credentials in images ([Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). A literal in a RUN line is in the Dockerfile and the image history; a value from `ARG`/`ENV` is recorded in the image metadata too; a written `.npmrc` or `~/.docker/config.json` stays in the layer. `RUN --mount=type=secret` is the only form where the value exists just for that step.",
    fix: 'Pass the credential as a BuildKit secret, available only while the step runs:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" --location=project && npm ci && rm .npmrc\n# docker build --secret id=npm_token,env=NPM_TOKEN .\n```\n\nFor Azure, prefer a managed or workload identity (`az login --identity`) to a service principal password.',
    tags: ['security', 'secrets', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      dockerLogin: 'RUN logs in to a registry with {how}; use RUN --mount=type=secret.',
      azLogin: 'RUN logs in to Azure with {how}; use a managed identity or RUN --mount=type=secret.',
      awsConfigure: 'RUN stores an AWS secret access key in the image, from {how}; use RUN --mount=type=secret.',
      registryToken: 'RUN writes a package registry token into the image, from {how}; use RUN --mount=type=secret.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    const { text, lines } = file.source;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const r = ins.getRange();
      const start = lines.lineStart(r.start.line + 1) + r.start.character;
      const end = lines.lineStart(r.end.line + 1) + r.end.character;
      const body = text.slice(start, end);
      if (/--mount=\S{0,200}type=secret/.test(body)) continue;
      for (const { messageId, pattern, value: valueIn } of SETUPS) {
        for (const m of body.matchAll(new RegExp(pattern.source, pattern.flags))) {
          const value = (valueIn ? valueIn.exec(m[1] ?? '')?.[2] : m[2]) ?? '';
          if (!value || isPlaceholder(value)) continue;
          const variable = /^\$/.test(value);
          const how = variable
            ? `the build variable ${value} (kept in the image history)`
            : `a literal credential (${describeSecret(value)})`;
          const at = lines.range(start + m.index, start + m.index + m[0].length);
          ctx.report({
            messageId,
            data: { how },
            at,
            identity: `${messageId} ${variable ? value : ''}`,
            ...(variable ? { value } : { secret: value }),
          });
        }
      }
    }
  },
};

// Measures @bufbuild/cel for policy evaluation: planning cost, cost per evaluation of typical
// ValidatingAdmissionPolicy expressions, and the size it adds to a minified bundle.
// Usage: node scripts/cel-measure.mjs [iterations]
import { build } from 'esbuild';
import { celEnv, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

const n = Number(process.argv[2] ?? 20000);
const env = celEnv({ funcs: strings });
const pod = {
  metadata: { name: 'api', labels: { app: 'api', team: 'x' } },
  spec: {
    replicas: 3n,
    template: {
      spec: {
        containers: Array.from({ length: 3 }, (_, i) => ({
          name: `c${i}`,
          image: `registry.example.com/app:${i}`,
          securityContext: { runAsNonRoot: true },
        })),
      },
    },
  },
};
const exprs = [
  'object.spec.replicas <= 5',
  "object.spec.template.spec.containers.all(c, c.image.startsWith('registry.example.com/'))",
  "has(object.metadata.labels) && 'team' in object.metadata.labels",
  'object.spec.template.spec.containers.all(c, has(c.securityContext) && c.securityContext.runAsNonRoot == true)',
  "object.metadata.name.matches('^[a-z][-a-z0-9]*$') && object.metadata.name.lowerAscii() == object.metadata.name",
];
let t = process.hrtime.bigint();
const planned = [];
for (let i = 0; i < 200; i++) for (const e of exprs) planned.push(plan(env, parse(e)));
const planUs = Number(process.hrtime.bigint() - t) / 1000 / (200 * exprs.length);
for (const e of exprs) {
  const f = plan(env, parse(e));
  t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f({ object: pod });
  const us = Number(process.hrtime.bigint() - t) / 1000 / n;
  console.log(`${us.toFixed(2).padStart(7)} µs/eval  ${e}`);
}
console.log(`${planUs.toFixed(1).padStart(7)} µs/parse+plan (mean)`);
const res = await build({
  stdin: {
    contents:
      "import { celEnv, parse, plan } from '@bufbuild/cel'; import { strings } from '@bufbuild/cel/ext'; console.log(celEnv, parse, plan, strings);",
    resolveDir: process.cwd(),
  },
  bundle: true,
  minify: true,
  write: false,
  platform: 'node',
  format: 'esm',
});
console.log(`bundle: ${(res.outputFiles[0].contents.length / 1024).toFixed(0)} KiB minified (cel + ext + protobuf runtime + re2 shim)`);

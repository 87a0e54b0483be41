// `npm run bench`: speed and memory of the engine on generated corpora (never a timed unit test).
//
// For 1,000 / 10,000 / 50,000 files of realistic manifests and Dockerfiles it prints files,
// bytes, wall time, files/s, MB/s, peak RSS, and podguard's wall and CPU as ratios to the parser
// floor: what a parser alone costs on the same files on one thread (read, js-yaml `loadAll` without
// positions, dockerfile-ast), measured in the same run. A second column keeps podguard's own
// parse-only cost (its listing, reading, decoding and positioned parse, no rules), and what the
// faces run (a streamed scan and its JSON report written to a file: wall, CPU, peak RSS); then
// the growth exponent from 1k to 50k, a cold `node dist/cli.js scan` of one file, a 20-file
// changed-files scan in the 50,000-file tree that counts the directories it reads (it must read
// none), and the cost per Kubernetes object of four admission policies (admissionPolicies:) on
// the smallest corpus.
// Every measurement runs in its own child process, so peak RSS is that measurement's own.
//
// The ratio's two sides (the floor and the scan) run REPEAT times each (3; `--repeat N`), taking
// turns, and each side keeps its least wall and CPU time: on a shared virtual machine one run can
// take a third longer than the next, and the least is the closest to what the work costs.
//
//   npm run bench                 all sizes
//   npm run bench -- 1000 10000   chosen sizes
//   npm run bench -- --repeat 5 10000
//   npm run bench -- --node /path/to/node 10000   measure under another Node.js (the Action runs node24)
//   node scripts/bench.mjs --generate DIR 10000   write a corpus (for --cpu-prof runs)
//   node scripts/bench.mjs --policies DIR/bench-policies   write the policy case's policies there
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- corpus generation
/** A small deterministic PRNG so every run measures the same corpus. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function envBlock(r, indent, n) {
  let out = `${indent}env:\n`;
  for (let i = 0; i < n; i++) {
    if (r() < 0.25) {
      out += `${indent}  - name: SECRET_${i}\n${indent}    valueFrom:\n${indent}      secretKeyRef:\n${indent}        name: app-secrets\n${indent}        key: key-${i}\n`;
    } else out += `${indent}  - name: SETTING_${i}\n${indent}    value: "value-${i}-${Math.floor(r() * 1e6)}"\n`;
  }
  return out;
}

function container(r, indent, name) {
  const sc =
    r() < 0.5
      ? `${indent}  securityContext:\n${indent}    runAsNonRoot: true\n${indent}    runAsUser: 10001\n${indent}    allowPrivilegeEscalation: false\n${indent}    readOnlyRootFilesystem: true\n${indent}    capabilities:\n${indent}      drop: [ALL]\n`
      : `${indent}  securityContext:\n${indent}    privileged: ${r() < 0.2 ? 'true' : 'false'}\n`;
  return (
    `${indent}- name: ${name}\n${indent}  image: myregistry.azurecr.io/team/${name}:1.${Math.floor(r() * 40)}.${Math.floor(r() * 9)}\n` +
    `${indent}  ports:\n${indent}    - containerPort: 8080\n${indent}  resources:\n${indent}    requests: { cpu: 100m, memory: 128Mi }\n${indent}    limits: { cpu: 500m, memory: 256Mi }\n` +
    envBlock(r, `${indent}  `, 2 + Math.floor(r() * 8)) +
    `${indent}  volumeMounts:\n${indent}    - name: data\n${indent}      mountPath: /data\n${indent}    - name: config\n${indent}      mountPath: /etc/app\n${indent}      readOnly: true\n` +
    sc
  );
}

function podSpec(r, indent, name) {
  const n = 1 + Math.floor(r() * 2);
  let s = `${indent}serviceAccountName: ${name}\n${indent}containers:\n`;
  for (let i = 0; i < n; i++) s += container(r, `${indent}  `, i === 0 ? name : `${name}-sidecar`);
  s += `${indent}volumes:\n${indent}  - name: data\n${indent}    emptyDir: {}\n${indent}  - name: config\n${indent}    configMap:\n${indent}      name: ${name}-config\n`;
  return s;
}

/** Kubernetes objects written by `generate` (for the admission policy cost per object). */
let objectsWritten = 0;

function manifest(r, i) {
  const name = `svc-${i}`;
  const kind = r();
  const meta = `metadata:\n  name: ${name}\n  namespace: team-${i % 17}\n  labels:\n    app: ${name}\n    tier: backend\n`;
  let doc;
  if (kind < 0.5) {
    doc = `apiVersion: apps/v1\nkind: Deployment\n${meta}spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${podSpec(r, '      ', name)}`;
  } else if (kind < 0.75) {
    doc = `apiVersion: apps/v1\nkind: StatefulSet\n${meta}spec:\n  serviceName: ${name}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${podSpec(r, '      ', name)}`;
  } else {
    doc = `apiVersion: batch/v1\nkind: CronJob\n${meta}spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec(r, '          ', name)}`;
  }
  const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
  const config = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "a,b,c"\n`;
  const docs = r() < 0.6 ? [doc, service, config] : [doc];
  objectsWritten += docs.length;
  return docs.join('---\n');
}

/** Admission policies for the policy case: params, per-container all(), variables, a label check. */
const BENCH_POLICIES = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: replica-limit }
spec:
  paramKind: { apiVersion: bench.example.com/v1, kind: ReplicaLimit }
  matchConstraints:
    resourceRules: [{ apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets] }]
  validations:
    - expression: "!has(object.spec.replicas) || object.spec.replicas <= params.maxReplicas"
      messageExpression: "'at most ' + string(params.maxReplicas) + ' replicas'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: replica-limit }
spec:
  policyName: replica-limit
  validationActions: [Deny]
  paramRef: { name: limits, parameterNotFoundAction: Deny }
---
apiVersion: bench.example.com/v1
kind: ReplicaLimit
metadata: { name: limits }
maxReplicas: 2
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: registry }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets] }]
  validations:
    - expression: "object.spec.template.spec.containers.all(c, c.image.startsWith('myregistry.azurecr.io/'))"
      message: images come from the team registry
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-privileged }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [apps, batch], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets, cronjobs] }]
  variables:
    - name: pod
      expression: "object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec"
  validations:
    - expression: "variables.pod.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)"
      message: containers are not privileged
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: tier-label }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"] }]
  validations:
    - expression: "has(object.metadata.labels) && 'tier' in object.metadata.labels && object.metadata.labels.tier.matches('^[a-z]+$')"
      message: objects carry a tier label
${['registry', 'no-privileged', 'tier-label']
  .map(
    (n) =>
      `---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: { name: ${n} }\nspec:\n  policyName: ${n}\n  validationActions: [Deny]\n`,
  )
  .join('')}`;

function dockerfile(r, i) {
  const user = r() < 0.6 ? 'USER 10001\n' : '';
  return (
    `# syntax=docker/dockerfile:1\nARG BASE=mcr.microsoft.com/dotnet/aspnet:8.0\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\n` +
    `RUN dotnet restore \\\n    && dotnet publish -c Release -o /out \\\n    && rm -rf /root/.nuget\n` +
    `FROM \${BASE}\nWORKDIR /app\nCOPY --from=build /out .\nENV ASPNETCORE_URLS=http://+:8080 APP_ID=${i}\nEXPOSE 8080\n${user}` +
    `HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1\nENTRYPOINT ["dotnet", "App${i}.dll"]\n`
  );
}

/** Writes `n` files (about 90% manifests, 10% Dockerfiles) in a nested tree; returns bytes written. */
function generate(dir, n) {
  const r = rng(42);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const d = join(dir, `team-${i % 50}`, `svc-${i}`);
    mkdirSync(d, { recursive: true });
    const isDocker = i % 10 === 9;
    const text = isDocker ? dockerfile(r, i) : manifest(r, i);
    writeFileSync(join(d, isDocker ? 'Dockerfile' : 'deploy.yaml'), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

// ---------------------------------------------------------------- child: one measurement
/** CPU milliseconds (user + system, all threads) since `c0`: node start and module load excluded. */
const cpuMs = (c0) => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

async function child(mode, dir, bundle, extra) {
  if (mode === 'changed') {
    // Count directory reads: a changed-files scan must not walk the tree.
    const fsp = await import('node:fs/promises');
    const fs = await import('node:fs');
    const { syncBuiltinESMExports } = await import('node:module');
    let dirsRead = 0;
    const orig = fsp.readdir;
    fsp.default.readdir = (...a) => {
      dirsRead++;
      return orig(...a);
    };
    const origSync = fs.readdirSync;
    fs.default.readdirSync = (...a) => {
      dirsRead++;
      return origSync(...a);
    };
    syncBuiltinESMExports();
    const m = await import(bundle);
    const changedFiles = JSON.parse(extra);
    const t = performance.now();
    const c0 = process.cpuUsage();
    const res = await m.scan({ root: dir, changedFiles });
    const ms = performance.now() - t;
    return {
      ms,
      cpu: cpuMs(c0),
      files: Object.values(res.filesScanned).reduce((a, b) => a + b, 0),
      findings: res.findings.length,
      dirsRead,
    };
  }
  const m = await import(bundle);
  const t = performance.now();
  const c0 = process.cpuUsage();
  let files = 0;
  let findings = 0;
  let threads = 1;
  if (mode === 'policy' || mode === 'nopolicy') {
    // One thread both times: the difference is the policies' own cost.
    const config = mode === 'policy' ? { admissionPolicies: ['bench-policies'] } : {};
    const res = await m.scan({ root: dir, threads: 1, config });
    const policyFindings = res.findings.filter((f) => f.ruleId.startsWith('policy/')).length;
    return { ms: performance.now() - t, cpu: cpuMs(c0), files, findings: res.findings.length, policyFindings, threads: 1 };
  }
  if (mode === 'streamed') {
    // What the CLI, the Action and the task do: a streamed scan (findings spooled to a private
    // temporary file) and its JSON report written to a file.
    const res = await m.scanStreamed({ root: dir });
    const out = m.mkdtempSync(m.join(m.tmpdir(), 'podguard-bench-json-'));
    try {
      m.writeChunks(m.join(out, 'report.json'), m.jsonReport(res));
    } finally {
      res.findings.dispose();
      m.rmSync(out, { recursive: true, force: true });
    }
    files = Object.values(res.filesScanned).reduce((a, b) => a + b, 0);
    return { ms: performance.now() - t, cpu: cpuMs(c0), files, findings: res.findings.length, threads: res.threads };
  }
  if (mode === 'scan' || mode === 'scan1') {
    const res = await m.scan({ root: dir, ...(mode === 'scan1' ? { threads: 1 } : {}) });
    threads = res.threads;
    files = Object.values(res.filesScanned).reduce((a, b) => a + b, 0);
    findings = res.findings.length;
    if (globalThis.gc && findings > 0) {
      // What each finding costs the heap: the live set with and without them.
      const ms = performance.now() - t;
      const cpu = cpuMs(c0);
      globalThis.gc();
      const withFindings = process.memoryUsage().heapUsed;
      res.findings.length = 0;
      globalThis.gc();
      const perFinding = (withFindings - process.memoryUsage().heapUsed) / findings;
      return { ms, cpu, files, findings, threads, perFinding };
    }
  } else if (mode === 'parser') {
    // The floor: a parser alone on the same files, one thread. The file list is taken before the
    // clock starts (finding files is podguard's work); then each file is read and parsed, YAML by
    // js-yaml's loadAll (default schema, no positions) and Dockerfiles by dockerfile-ast.
    const { candidates } = await m.collect({ root: dir, paths: ['.'], exclude: [] });
    const t0 = performance.now();
    const c1 = process.cpuUsage();
    for (const c of candidates) {
      const text = m.readFileSync(c.absPath, 'utf8');
      if (c.nameKind === 'dockerfile') m.DockerfileParser.parse(text).getInstructions();
      else {
        try {
          m.loadAll(text);
        } catch {
          continue;
        }
      }
      files++;
    }
    return { ms: performance.now() - t0, cpu: cpuMs(c1), files, findings, threads };
  } else {
    // podguard's own parse-only cost: the same listing, reading, decoding and parsing; no rules.
    const { candidates } = await m.collect({ root: dir, paths: ['.'], exclude: [] });
    for (const c of candidates) {
      const buf = m.readFileSync(c.absPath);
      const decoded = m.decode(buf);
      if (!decoded.ok) continue;
      if (m.parseFile(m.sourceFile(c.absPath, c.relPath, decoded.text), c.nameKind)) files++;
    }
  }
  return { ms: performance.now() - t, cpu: cpuMs(c0), files, findings, threads };
}

/** The Node.js that runs every measurement (`--node PATH`: another version, e.g. the Action's node24). */
let NODE = process.execPath;

function runChild(mode, dir, bundle, extra = '') {
  const r = spawnSync(NODE, ['--expose-gc', SELF, '--child', mode, dir, bundle, extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// ---------------------------------------------------------------- main
async function bundleEngine(out) {
  // The engine looks for worker.js beside itself: build it there, as npm run build does for dist/.
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/entry/worker.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: join(dirname(out), 'worker.js'),
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await build({
    absWorkingDir: ROOT,
    stdin: {
      contents: [
        "export { scan, scanStreamed } from './src/engine.ts';",
        "export { jsonReport } from './src/platform/sinks.ts';",
        "export { writeChunks } from './src/report/stream.ts';",
        "export { collect } from './src/collect/collect.ts';",
        "export { parseFile } from './src/parse/index.ts';",
        "export { decode, sourceFile } from './src/parse/source.ts';",
        "export { mkdtempSync, readFileSync, rmSync } from 'node:fs';",
        "export { tmpdir } from 'node:os';",
        "export { join } from 'node:path';",
        "export { loadAll } from 'js-yaml';",
        "export { DockerfileParser } from 'dockerfile-ast';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: out,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mb = (bytes) => bytes / 1024 / 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The floor and the scan, `repeat` times each, taking turns (so a slow spell of the machine falls
 * on both): each keeps its first run's counts, its least wall and CPU time and its largest RSS.
 */
/** The first run's counts with the least wall and CPU time and the largest RSS of all runs. */
function leastOf(rs) {
  return {
    ...rs[0],
    ms: Math.min(...rs.map((r) => r.ms)),
    cpu: Math.min(...rs.map((r) => r.cpu)),
    rss: Math.max(...rs.map((r) => r.rss)),
  };
}

function measuredPair(dir, bundle, repeat) {
  const runs = { parser: [], scan: [] };
  for (let i = 0; i < repeat; i++) for (const mode of ['parser', 'scan']) runs[mode].push(runChild(mode, dir, bundle));
  for (const r of runs.scan)
    if (r.findings !== runs.scan[0].findings) throw new Error(`two runs of one scan found ${runs.scan[0].findings} and ${r.findings}`);
  return { floor: leastOf(runs.parser), full: leastOf(runs.scan) };
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--repeat');
  const repeat = at >= 0 ? Number(args.splice(at, 2)[1]) : 3;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number of runs, 1 or more');
  const nodeAt = args.indexOf('--node');
  if (nodeAt >= 0) NODE = resolve(args.splice(nodeAt, 2)[1] ?? '');
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`--node: ${NODE} does not run`);
  const sizes = args.map(Number).filter(Boolean);
  const SIZES = sizes.length ? sizes : [1000, 10000, 50000];
  const work = mkdtempSync(join(tmpdir(), 'podguard-bench-'));
  const bundle = join(work, 'engine.mjs');
  writeFileSync(join(work, 'package.json'), '{"type": "module"}\n');
  await bundleEngine(bundle);
  console.log(
    `podguard bench: node ${version.stdout.trim()}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    '(each measurement in a fresh process; floor = a parser alone on the same files, one thread: read, js-yaml loadAll, dockerfile-ast)',
  );
  console.log(
    "(ratio = podguard's wall / CPU over the floor's; parse-only = podguard's own listing, reading and positioned parsing, no rules)",
  );
  console.log('(threads: what the scan chose by default; 1-thread: the same scan with threads: 1)');
  console.log(
    '(the main columns use scan(), whose result holds every finding; streamed+JSON = what the CLI, Action and task run: scanStreamed() and its JSON report written to a file, default threads)',
  );
  console.log(
    `(wall, CPU ms and the ratio: the least of ${repeat} runs each of the scan and the floor, taken in turns; peak RSS: the largest of them)`,
  );
  console.log("(wall clock depends on the machine's load; CPU ms = user + system time of all threads, steadier on a shared machine)\n");
  console.log(
    'files    kind-mix                 bytes  threads   wall ms    CPU ms   files/s    MB/s   peak RSS    1-thread wall/CPU/RSS  floor wall  floor CPU  ratio(wall/CPU)  parse-only wall/CPU  findings  heap/finding   streamed+JSON wall/CPU/RSS',
  );
  const rows = [];
  let biggest;
  let smallest;
  try {
    for (const n of SIZES) {
      const dir = join(work, `corpus-${n}`);
      objectsWritten = 0;
      const bytes = generate(dir, n);
      smallest ??= { n, dir, objects: objectsWritten };
      const { floor, full } = measuredPair(dir, bundle, repeat);
      const own = runChild('floor', dir, bundle);
      if (floor.files !== own.files) throw new Error(`the floor parsed ${floor.files} files, podguard ${own.files}`);
      // One thread, the least of `repeat` runs like the main columns (for the marginal ratio below).
      const one = full.threads > 1 ? leastOf(Array.from({ length: repeat }, () => runChild('scan1', dir, bundle))) : full;
      const streamed = runChild('streamed', dir, bundle);
      rows.push({ n, bytes, ms: full.ms, cpu: full.cpu, oneCpu: one.cpu, floorCpu: floor.cpu });
      console.log(
        [
          fmt(n).padEnd(8),
          `${fmt(n - Math.floor(n / 10))} yaml + ${fmt(Math.floor(n / 10))} df`.padEnd(20),
          `${fmt(mb(bytes), 1)} MB`.padStart(9),
          String(full.threads).padStart(8),
          fmt(full.ms).padStart(9),
          fmt(full.cpu).padStart(9),
          fmt((n / full.ms) * 1000).padStart(9),
          fmt(mb(bytes) / (full.ms / 1000), 1).padStart(7),
          `${fmt(full.rss)} MB`.padStart(10),
          `${fmt(one.ms)} / ${fmt(one.cpu)} ms / ${fmt(one.rss)} MB`.padStart(26),
          fmt(floor.ms).padStart(11),
          fmt(floor.cpu).padStart(10),
          `${(full.ms / floor.ms).toFixed(2)}x / ${(full.cpu / floor.cpu).toFixed(2)}x`.padStart(16),
          `${fmt(own.ms)} / ${fmt(own.cpu)} ms`.padStart(20),
          fmt(full.findings).padStart(9),
          `${fmt(full.perFinding ?? 0)} B`.padStart(13),
          `${fmt(streamed.ms)} ms / ${fmt(streamed.cpu)} ms / ${fmt(streamed.rss)} MB`.padStart(30),
        ].join(' '),
      );
      if (streamed.findings !== full.findings)
        throw new Error(`the streamed scan found ${streamed.findings}, the collected ${full.findings}`);
      if (one.findings !== full.findings)
        throw new Error(`threads changed the findings: ${full.findings} vs ${one.findings} on one thread`);
      biggest = { n, dir };
    }
    if (rows.length >= 2) {
      const a = rows[0];
      const b = rows[rows.length - 1];
      const k = Math.log(b.ms / a.ms) / Math.log(b.n / a.n);
      const kc = Math.log(b.cpu / a.cpu) / Math.log(b.n / a.n);
      console.log(`\ngrowth exponent ${fmt(a.n)} -> ${fmt(b.n)} files: wall ${k.toFixed(2)}, CPU ${kc.toFixed(2)} (1.00 = linear)`);
      // What each further file costs on one thread over what it costs the floor: a process's fixed
      // costs (module load, the optimising compiler's first compilations) drop out of the difference.
      for (let i = 1; i < rows.length; i++) {
        const [x, y] = [rows[i - 1], rows[i]];
        const marginal = (y.oneCpu - x.oneCpu) / (y.floorCpu - x.floorCpu);
        console.log(
          `marginal CPU ratio ${fmt(x.n)} -> ${fmt(y.n)} files, one thread: ${marginal.toFixed(2)}x ` +
            `(+${fmt(y.oneCpu - x.oneCpu)} ms podguard, +${fmt(y.floorCpu - x.floorCpu)} ms floor)`,
        );
      }
    }

    if (smallest) {
      // Admission policies: the same one-thread scan with and without four policies (seven
      // validations, one with params, two per container); the policy folder is outside the corpus walk's count.
      mkdirSync(join(smallest.dir, 'bench-policies'));
      writeFileSync(join(smallest.dir, 'bench-policies', 'policies.yaml'), BENCH_POLICIES);
      const without = runChild('nopolicy', smallest.dir, bundle);
      const withPolicies = runChild('policy', smallest.dir, bundle);
      const perObject = (ms) => (ms * 1000) / smallest.objects;
      console.log(
        `admission policies (4 policies, 4 validations, ${fmt(smallest.objects)} objects in ${fmt(smallest.n)} files, 1 thread): ` +
          `+${fmt(withPolicies.ms - without.ms)} ms wall, +${fmt(withPolicies.cpu - without.cpu)} ms CPU = ` +
          `${fmt(perObject(withPolicies.cpu - without.cpu), 1)} µs CPU per object; ${fmt(withPolicies.policyFindings)} policy findings`,
      );
    }

    // Cold CLI on one file: node start, module load, scan, output.
    const one = join(work, 'one');
    mkdirSync(one);
    writeFileSync(join(one, 'deploy.yaml'), manifest(rng(7), 1));
    const cli = join(ROOT, 'dist', 'cli.js');
    const times = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const r = spawnSync(NODE, [cli, 'scan', 'deploy.yaml', '--format', 'json', '--fail-on', 'never'], {
        cwd: one,
        encoding: 'utf8',
      });
      times.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`cli failed: ${r.stderr}`);
    }
    console.log(`cold CLI scan of one file (node dist/cli.js, median of 7): ${fmt(median(times))} ms (min ${fmt(Math.min(...times))} ms)`);

    if (biggest) {
      const changed = Array.from({ length: 20 }, (_, i) => {
        const j = Math.floor((i * biggest.n) / 20);
        return j % 10 === 9 ? `team-${j % 50}/svc-${j}/Dockerfile` : `team-${j % 50}/svc-${j}/deploy.yaml`;
      });
      const c = runChild('changed', biggest.dir, bundle, JSON.stringify(changed));
      console.log(
        `changed-files scan (20 of ${fmt(biggest.n)} files): ${fmt(c.ms)} ms, ${c.files} files scanned, ${c.findings} findings, ${c.dirsRead} directories read`,
      );
    }
    console.log(
      `\nload average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--generate') {
  // For profiling: node scripts/bench.mjs --generate DIR N, then node --cpu-prof dist/cli.js scan DIR.
  const bytes = generate(resolve(process.argv[3]), Number(process.argv[4] ?? 10000));
  console.log(`wrote ${fmt(mb(bytes), 1)} MB`);
} else if (process.argv[2] === '--policies') {
  // For profiling the policy case: node scripts/bench.mjs --policies DIR writes DIR/policies.yaml.
  mkdirSync(resolve(process.argv[3]), { recursive: true });
  writeFileSync(join(resolve(process.argv[3]), 'policies.yaml'), BENCH_POLICIES);
} else if (process.argv[2] === '--child') {
  const [, , , mode, dir, bundle, extra] = process.argv;
  const result = await child(mode, dir, bundle, extra);
  const usage = process.resourceUsage();
  result.rss = usage.maxRSS / 1024;
  console.log(JSON.stringify(result));
} else {
  await main();
}

/**
 * The engine: collect -> parse -> rules -> filter. Platform-free: the CLI, the GitHub Action
 * and the Azure Pipelines task all call `scan` and render its result.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isInside } from './config/safe-read.js';
import { readBaseline } from './baseline/baseline.js';
import { Collector, FileChecker, mergeState, reportsMissingField } from './batch.js';
import { collect, findRenderMarkers } from './collect/collect.js';
import { prepareRender } from './render/index.js';
import type { RenderStage, RenderSummary } from './render/index.js';
import { DEFAULT_CONFIG_FILE, loadSettings, settingsFromObject } from './config/load.js';
import type { Settings } from './config/settings.js';
import { validatePattern } from './config/patterns.js';
import { mayEnable } from './config/overrides.js';
import { applyIgnores, applyOverrides } from './config/policy.js';
import { rangeOf, sourceFile } from './parse/source.js';
import type { SourceFile } from './parse/source.js';
import type { Redactor } from './redact.js';
import { safeErrorText } from './redact.js';
import { safeData } from './safe-text.js';
import type { At, Report, Rule } from './rule.js';
import { compareFindings } from './findings.js';
import { ALL_RULES } from './rules/index.js';
import { addScannedNamespaces, loadPolicies } from './policy/load.js';
import { policyRules } from './policy/rules.js';
import type { Directive } from './suppress/directives.js';
import { applySuppressions } from './suppress/apply.js';
import { readDirectives } from './suppress/directives.js';
import { readFileSync } from 'node:fs';
import { formerIdsOf } from './rules/aliases.js';
import { ConfigurationError, FILE_KINDS } from './types.js';
import type { FileKind, Finding, Level } from './types.js';
import { activeRules, bundledWorkerScript, checkBatches, defaultThreads, systemReporter, toBatches } from './workers.js';
import type { CheckPlan } from './workers.js';

export { rangeOf };

/** What to scan and how. */
export interface ScanInput {
  /** Repository root: finding paths are relative to it. */
  root: string;
  /** Files or directories, relative to `root` (default `.`). */
  paths?: readonly string[];
  /** Configuration file; default `.podguard.yml` in the scanned directory or the root. */
  configPath?: string;
  /** Extra allowed-image patterns (CLI `--allow-image`, CI inputs). */
  allowImages?: readonly string[];
  /** When set, only these files (relative to `root`) are scanned. */
  changedFiles?: readonly string[];
  /** An inline configuration object, used instead of any configuration file. */
  config?: unknown;
  /** Adjusts settings after the configuration file is read (CI inputs). */
  adjust?: (settings: Settings) => void;
  /** Rules to run (default: all registered rules). */
  rules?: readonly Rule[];
  /**
   * Where `admissionPolicies:` entries are read from instead of `root` (same relative layout):
   * the base commit's policies of a pull request (`PinnedConfig.policyRoot`).
   */
  policyRoot?: string;
  /** Baseline file (relative to `root`) overriding the configured one; `false` applies none. */
  baseline?: string | false;
  /** Today (`YYYY-MM-DD` or a Date, read in UTC) for suppression expiry; default: the clock. */
  today?: string | Date;
  /**
   * Threads to check files on, this one included (default: one per CPU, at most 4, and only when
   * there are enough files to pay for starting them); 1 keeps the scan on this thread.
   */
  threads?: number;
  /**
   * Make a full scan in which a named path holds no file podguard checks, or that checked nothing
   * at all, an input error (the faces set it unless the user allows an empty scan: a mistyped or
   * moved path would otherwise pass the gate green). Changed-file scans never fail for it.
   */
  requireChecked?: boolean;
  /** The worker script (default: `worker.js` beside the running bundle; none when running from sources). */
  workerScript?: string;
  /** A manifest stream to check instead of files (`podguard scan -`), and the name findings carry. */
  stdin?: { text: string; name: string };
  /** Environment for finding helm and kustomize (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The outcome of a scan. */
export interface ScanResult {
  root: string;
  settings: Settings;
  /** Every registered rule (for SARIF `rules[]`), enabled or not. */
  rules: readonly Rule[];
  /** Ids of the rules that ran. */
  enabledRules: string[];
  /** Findings, sorted by file, line, column, rule. */
  findings: Finding[];
  filesScanned: Record<FileKind, number>;
  /** Secret values found: outputs must pass through `redactor`. */
  redactor: Redactor;
  durationMs: number;
  /** Threads that checked files (1: this thread only). */
  threads: number;
  /** What the user should know about how the scan was configured (e.g. a nested configuration not used). */
  notices?: string[];
  /** Helm chart templates that were not checked because nothing rendered them (paths). */
  templatesNotRendered?: string[];
  /** The baseline applied, if any: its path (relative to the root) and how many findings it knew. */
  baseline?: { file: string; known: number };
  /** Helm charts and kustomize roots found, rendered or not (absent when there were none). */
  render?: RenderSummary;
}

/** Levels a rule runs at, after the profile and the configuration. */
function ruleLevel(rule: Rule, settings: Settings): Level | 'off' {
  const configured = settings.rules[rule.meta.id]?.level;
  if (configured) return configured;
  // `image-tag: off` written before image-digest was split out of it still turns both off.
  if (rule.meta.formerIds?.some((id) => settings.rules[id]?.level === 'off')) return 'off';
  if (settings.profile === 'baseline' && rule.meta.profile === 'restricted') return 'off';
  return rule.meta.level;
}

/** Today as `YYYY-MM-DD` in UTC. */
function isoDay(today: string | Date | undefined): string {
  if (typeof today === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new ConfigurationError(`today must be YYYY-MM-DD (got "${today}")`);
    return today;
  }
  return (today ?? new Date()).toISOString().slice(0, 10);
}

/**
 * Every scope must stay in the repository, by its real path: a directory link in a pull request
 * (`k8s -> /etc`) or `../..` would otherwise read and echo files of the runner.
 */
function checkScopes(root: string, paths: readonly string[]): void {
  const realRoot = realpathOr(root);
  for (const p of paths) {
    const abs = resolve(root, p);
    if (!isInside(root, abs) && !isInside(realRoot, abs))
      throw new ConfigurationError(`path outside the repository: ${safeData(p)}`, { input: 'paths' });
    const real = realpathOr(abs);
    if (!isInside(realRoot, real))
      throw new ConfigurationError(`path outside the repository: ${safeData(p)} is a symbolic link out of it`, { input: 'paths' });
  }
}

/** The error for a scope without a checked file (platforms name their own paths input for `paths`). */
function emptyScope(p: string): ConfigurationError {
  return new ConfigurationError(
    `path checked nothing: ${safeData(p)} holds no Kubernetes, Dockerfile, compose or ACI file podguard checks (allow an empty scan with allow-empty / --allow-empty)`,
    { input: 'paths' },
  );
}

/** True when something (a dangling link too) is at `p`; false for ENOENT and ENOTDIR. */
function exists(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function realpathOr(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** Runs a scan. Throws ConfigurationError for user mistakes; never throws for file content. */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const started = Date.now();
  const root = resolve(input.root);
  const baseRules = input.rules ?? ALL_RULES;
  const paths = input.paths && input.paths.length > 0 ? input.paths : ['.'];
  checkScopes(root, paths);
  const singleDir = paths.length === 1 ? resolve(root, paths[0]!) : root;
  let settings: Settings;
  const notices: string[] = [];
  if (input.config !== undefined) settings = settingsFromObject(input.config, baseRules, '(inline configuration)');
  else if (input.configPath) settings = loadSettings(root, input.configPath, baseRules, root);
  else {
    // A nested .podguard.yml (say one a pull request added under k8s/) never overrides the
    // repository root's silently: the root's applies, and the scan says so.
    const nested = singleDir !== root && exists(join(singleDir, DEFAULT_CONFIG_FILE));
    const atRoot = exists(join(root, DEFAULT_CONFIG_FILE));
    const nestedLabel = safeData(relative(root, join(singleDir, DEFAULT_CONFIG_FILE)).split('\\').join('/'));
    if (nested && atRoot) {
      settings = loadSettings(root, undefined, baseRules, root);
      notices.push(
        `${nestedLabel} is not used: the repository root's ${DEFAULT_CONFIG_FILE} applies (name it as the configuration to use it).`,
      );
    } else if (nested) {
      settings = loadSettings(singleDir, undefined, baseRules, root);
      notices.push(`Using ${nestedLabel}: there is no ${DEFAULT_CONFIG_FILE} at the repository root.`);
    } else settings = loadSettings(root, undefined, baseRules, root);
  }
  for (const p of input.allowImages ?? []) {
    const problem = validatePattern(p);
    if (problem) throw new ConfigurationError(`--allow-image ${JSON.stringify(p)} ${problem}`, { input: 'allowImages' });
    settings.allowedImages.push(p);
  }
  input.adjust?.(settings);
  // Admission policies become rules of this scan only; workers rebuild them from the plan.
  const policies =
    settings.admissionPolicies.length > 0
      ? loadPolicies(input.policyRoot ?? root, settings.admissionPolicies, settings.maxFileBytes)
      : undefined;
  const rules = policies ? [...baseRules, ...policyRules(policies)] : baseRules;
  // Read the baseline first: a missing or corrupt one should stop the scan before any work.
  const baselinePath = input.baseline === false ? undefined : (input.baseline ?? settings.baseline);
  let knownBaseline: { label: string; fingerprints: Set<string> } | undefined;
  if (baselinePath) {
    const abs = resolve(root, baselinePath);
    const label = relative(root, abs).split('\\').join('/') || baselinePath;
    knownBaseline = { label, fingerprints: readBaseline(abs, safeData(label), root, input.baseline === undefined) };
  }
  const today = isoDay(input.today);

  const plan: CheckPlan = {
    settings,
    rules: rules
      .filter((r) => !r.meta.system)
      // A rule off here but on under some `overrides:` path runs; applyOverrides drops the rest.
      .map((rule) => {
        const level = ruleLevel(rule, settings);
        return { rule, level: level === 'off' && mayEnable(settings.overrides, rule) ? rule.meta.level : level };
      })
      .filter((x): x is { rule: Rule; level: Level } => x.level !== 'off')
      .map(({ rule, level }) => ({
        id: rule.meta.id,
        level,
        options: { ...(rule.meta.defaultOptions ?? {}), ...(settings.rules[rule.meta.id]?.options ?? {}) },
      })),
    systemLevels: Object.fromEntries(rules.filter((r) => r.meta.system).map((r) => [r.meta.id, ruleLevel(r, settings)])),
    partial: input.changedFiles !== undefined,
    ...(policies ? { policies } : {}),
  };
  const active = activeRules(plan, rules);
  const systemReport = systemReporter(plan, rules);

  const systemOn = (id: string): boolean => (plan.systemLevels[id] ?? 'off') !== 'off';

  const out = new Collector();
  const system = (
    id: string,
    file: SourceFile,
    at: At,
    messageId: string,
    data: Record<string, string | number>,
    identity?: string,
  ): void => systemReport(out, id, file, at, messageId, data, identity);
  /** A rule failure that belongs to no file (merging or finishing cross-file state). */
  const scanError = (ruleId: string, err: unknown): void => {
    const f = sourceFile(root, '.', '');
    system('internal-error', f, f.lines.range(0, 0), 'rule', { rule: ruleId, error: safeErrorText(err) });
  };

  const collected = input.stdin
    ? { candidates: [], issues: [] }
    : await collect({ root, paths, exclude: settings.exclude, only: input.changedFiles });
  if (!input.stdin && input.changedFiles === undefined && input.requireChecked) {
    for (const p of paths) {
      const scope = resolve(root, p);
      if (!collected.candidates.some((c) => isInside(scope, resolve(root, c.relPath)))) throw emptyScope(p);
    }
  }
  for (const issue of collected.issues) {
    const f = sourceFile(resolve(root, issue.relPath), issue.relPath, '');
    system('file-error', f, f.lines.range(0, 0), 'skipped', { reason: issue.reason });
  }
  // Helm charts and kustomize roots render to streams checked like files (src/render/).
  // With standard input, charts are only looked up (to map `# Source:` comments), never rendered.
  const markers =
    !input.stdin && collected.markers
      ? collected.markers
      : await findRenderMarkers({
          root,
          paths: input.stdin ? ['.'] : paths,
          exclude: settings.exclude,
          ...(input.changedFiles && !input.stdin ? { only: input.changedFiles } : {}),
        });
  const render: RenderStage = await prepareRender({
    root,
    scopes: paths.map((p) => resolve(root, p)),
    candidates: collected.candidates,
    markers,
    ...(input.changedFiles ? { only: new Set(input.changedFiles) } : {}),
    settings,
    env: input.env ?? process.env,
    ...(input.stdin ? { stdin: input.stdin } : {}),
  });
  const candidates = render.candidates;
  // Kustomize patches checked without rendering: absent fields are written elsewhere.
  const partialFiles = new Set(candidates.filter((c) => c.partial).map((c) => c.relPath));
  // namespaceSelector also knows the Namespace objects of the scanned manifests (before any check:
  // the rules and the workers' plan share this set).
  if (policies) addScannedNamespaces(policies, candidates, settings.maxFileBytes);

  // Files are read synchronously, in sorted order, in batches: profiled on 10,000 manifests,
  // five thread-pool round trips per file (stat, open, fstat, read, close) cost more main-thread
  // time than parsing. Large scans spread batches over worker threads (rules from the registry
  // only: custom rule objects cannot cross threads); results merge in batch order.
  const threads = input.rules ? 1 : Math.max(1, Math.floor(input.threads ?? defaultThreads(candidates.length)));
  const script = input.workerScript ?? bundledWorkerScript();
  const batches = toBatches(candidates, threads);
  const checker = new FileChecker(settings, active, systemReport);
  let checked: Awaited<ReturnType<typeof checkBatches>>;
  try {
    checked = await checkBatches(batches, checker, { plan, threads, script });
  } finally {
    // Rendered streams were read by now; the mapping keeps what it needs in memory.
    render.cleanup();
  }
  const { results, threads: used } = checked;

  const filesScanned: Record<FileKind, number> = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
  const directives = new Map<string, Directive[]>();
  const renderedDirectives = new Map<string, Directive[]>();
  const templatesNotRendered: string[] = [];
  const states = new Map<string, Map<string, unknown>>(active.filter((a) => a.rule.finish).map((a) => [a.rule.meta.id, new Map()]));
  for (const r of results) {
    out.adopt(r.findings);
    for (const secret of r.secrets) out.redactor.add(secret);
    // A rendered stream's comments are the templates' comments: they are read from the templates below.
    for (const [file, found] of r.directives) {
      if (!render.virtual.has(file)) directives.set(file, found);
      else
        renderedDirectives.set(
          file,
          found.filter((d) => d.form === 'annotation'),
        );
    }
    for (const t of r.templates ?? []) templatesNotRendered.push(t);
    for (const k of FILE_KINDS) filesScanned[k] += r.filesScanned[k];
    for (const [id, state] of r.states) {
      try {
        mergeState(states.get(id), state);
      } catch (err) {
        scanError(id, err);
      }
    }
  }
  for (const a of active) {
    const state = states.get(a.rule.meta.id);
    if (state) a.ctx.state = state;
  }

  out.endFile();
  for (const { rule, level, ctx } of active) {
    if (!rule.finish) continue;
    try {
      rule.finish({
        ...ctx,
        report: (r: Report) => {
          if (!r.file) throw new Error(`rule ${rule.meta.id} reported from finish() without a file`);
          if (partialFiles.has(r.file.path) && reportsMissingField(r)) return;
          out.add(rule, level, r.file, r);
        },
      });
    } catch (err) {
      scanError(rule.meta.id, err);
    }
  }

  // Findings on rendered streams move to the template, values or patch line that wrote them.
  // podguard.dev/ignore annotations travel with the rendered object: apply them before the move
  // (comments are read from the templates themselves below).
  applySuppressions(
    out.findings.filter((f) => render.virtual.has(f.file)),
    renderedDirectives,
    {
      today,
      knownRules: new Set(rules.map((r) => r.meta.id)),
      enabledRules: new Set(),
      reasonRequired: systemOn('suppression-without-reason'),
    },
  );
  const mapped = render.remap(out.findings);
  out.findings.length = 0;
  for (const f of mapped) out.findings.push(f);
  for (const src of render.mappedSources()) {
    if (directives.has(src.relPath)) continue;
    const found = templateDirectives(src.absPath, src.relPath);
    if (found.length) directives.set(src.relPath, found);
  }
  for (const n of render.notices) {
    const rule = rules.find((r) => r.meta.id === n.ruleId);
    const level = plan.systemLevels[n.ruleId] ?? 'off';
    if (!rule || level === 'off') continue;
    const f = sourceFile(resolve(root, n.file), n.file, readQuiet(resolve(root, n.file)));
    const at = f.lines.range(n.offset ?? 0, n.endOffset ?? n.offset ?? 0);
    out.add(rule, level, f, { messageId: n.messageId, data: n.data, at, identity: n.identity, ...(n.level ? { level: n.level } : {}) });
    out.endFile();
  }
  // Per-path overrides judge findings where they now stand (templates, values and patches included).
  applyOverrides(out.findings, new Map(rules.map((r) => [r.meta.id, r])), settings);

  const known = new Set(rules.map((r) => r.meta.id));
  const formerIds = formerIdsOf(rules);
  const enabled = new Set([...active.map((a) => a.rule.meta.id), ...Object.keys(plan.systemLevels).filter(systemOn)]);
  const reports = applySuppressions(out.findings, directives, {
    today,
    knownRules: known,
    enabledRules: enabled,
    reasonRequired: systemOn('suppression-without-reason'),
    formerIds,
  });
  for (const r of reports) {
    if (!known.has(r.ruleId)) continue;
    system(r.ruleId, sourceFile(resolve(root, r.file), r.file, ''), r.range, r.messageId, r.data, r.identity);
  }

  const { expired } = applyIgnores(out.findings, settings, root, today);
  if (expired.length && systemOn('expired-suppression') && settings.configFile) {
    const file = sourceFile(resolve(root, settings.configFile), settings.configFile, '');
    for (const i of expired) {
      system(
        'expired-suppression',
        file,
        file.lines.range(0, 0),
        'expired',
        {
          form: `ignore entry ${i.index + 1} (${i.kind}/${i.name})`,
          rules: i.rules.join(', '),
          until: i.until!,
        },
        `ignore:${i.index}`,
      );
    }
  }

  let baseline: ScanResult['baseline'];
  if (knownBaseline) {
    const { label, fingerprints } = knownBaseline;
    let n = 0;
    for (const f of out.findings) {
      if (f.suppression || !(fingerprints.has(f.fingerprint) || (f.formerFingerprints ?? []).some((fp) => fingerprints.has(fp)))) continue;
      f.baselined = true;
      n++;
    }
    baseline = { file: label, known: n };
  }

  if (
    input.changedFiles === undefined &&
    input.requireChecked &&
    FILE_KINDS.every((k) => filesScanned[k] === 0) &&
    templatesNotRendered.length === 0
  ) {
    throw emptyScope(paths.join(', '));
  }
  const findings = out.findings.sort(compareFindings);
  return {
    root,
    settings,
    rules,
    enabledRules: active.map((a) => a.rule.meta.id),
    findings,
    filesScanned,
    redactor: out.redactor,
    templatesNotRendered,
    notices,
    durationMs: Date.now() - started,
    threads: used,
    ...(baseline ? { baseline } : {}),
    ...(render.summary.charts + render.summary.kustomizations > 0 ? { render: render.summary } : {}),
  };
}

function readQuiet(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}

/** Suppression comments of a template or patch that rendered findings were mapped to. */
function templateDirectives(absPath: string, relPath: string): Directive[] {
  const text = readQuiet(absPath);
  if (!text.includes('podguard-ignore')) return [];
  // Comment directives only need the text; a template is not parsed as YAML.
  return readDirectives({
    kind: 'compose',
    source: sourceFile(absPath, relPath, text),
    docs: [],
    problems: [],
    objects: [],
    workloads: [],
  });
}

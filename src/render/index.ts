/**
 * The render stage: Helm charts and kustomize roots -> rendered manifest streams checked like
 * files, and findings on them mapped back to the template, values or patch line that wrote them.
 * Runs between collection and checking; nothing in the user's tree is written or executed.
 */
import { hash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { climbsOut } from '../config/safe-read.js';
import type { Candidate } from '../collect/collect.js';
import type { ChartSettings, RenderSettings, Settings } from '../config/settings.js';
import { LineIndex } from '../parse/positions.js';
import { parseYaml } from '../parse/yaml.js';
import type { YDoc, YMap, YNode, YPair } from '../parse/yaml.js';
import { asItems, asMap, asText, get } from '../parse/yaml.js';
import { k8sObjects } from '../parse/kubernetes.js';
import type { Finding, Level, Range } from '../types.js';
import { includedFiles, isChartTemplate, linkOutside, reachable, realRootOf, renderRoots, toRel } from './discover.js';
import type { Kustomization, PatchRef, RenderRoots } from './discover.js';
import { follow, pathAt, pointer, pointerCovers, templateLine, valuesPair } from './map.js';
import type { Step } from './map.js';
import { Scratch, TOOL_ENV, cleanEnv, findTool, runTool, toolError } from './tools.js';
import type { Tool } from './tools.js';

/** An engine finding the render stage asks for (a chart not rendered, a render that failed). */
export interface RenderNotice {
  ruleId: 'not-rendered' | 'render-failed';
  messageId: string;
  data: Record<string, string | number>;
  /** Root-relative file and offsets in it (line 1 when absent). */
  file: string;
  offset?: number;
  endOffset?: number;
  /** Overrides the rule's default level (render.mode: required raises not-rendered to error). */
  level?: Level;
  identity: string;
}

/** What the scan says about rendering (summary and text). */
export interface RenderSummary {
  charts: number;
  kustomizations: number;
  rendered: number;
  failed: number;
  notRendered: { charts: number; kustomizations: number };
  /** Why roots were not rendered (`helm was not found on PATH`, `render.mode: off`). */
  reasons: string[];
}

/** The render stage's outcome. */
export interface RenderStage {
  /** The files to check: plain files (chart templates and rendered inputs removed) and rendered streams. */
  candidates: Candidate[];
  notices: RenderNotice[];
  summary: RenderSummary;
  /** Root-relative paths of rendered streams (their findings are mapped; their directives dropped). */
  virtual: Set<string>;
  /** Moves findings on rendered streams to their sources; drops duplicates; returns the list. */
  remap(findings: Finding[]): Finding[];
  /** Source files findings were mapped to (templates, patches), whose comments may hold suppressions. */
  mappedSources(): { absPath: string; relPath: string }[];
  cleanup(): void;
}

/** Options of the stage. */
export interface RenderInput {
  root: string;
  /** Absolute scan scopes. */
  scopes: readonly string[];
  candidates: readonly Candidate[];
  /** Root-relative Chart.yaml / kustomization files found in the scopes. */
  markers: readonly string[];
  /** Changed files (root-relative) in a pull-request scan. */
  only?: ReadonlySet<string>;
  settings: Settings;
  env: Record<string, string | undefined>;
  /** A manifest stream read from standard input, and the name it is reported under. */
  stdin?: { text: string; name: string };
}

type Origin =
  { kind: 'helm'; chartDir: string; valuesFiles: string[] } | { kind: 'kustomize'; dir: string; wrapper: string } | { kind: 'stdin' };

interface Virtual {
  relPath: string;
  absPath: string;
  origin: Origin;
  /** The file findings fall back to (Chart.yaml, the kustomization, the stdin name). */
  home: string;
  /** The rendered text (the scratch file is removed once the files are checked). */
  text: string;
}

const FP_SALT = 'podguard-render-fp-v1';
const APPROX = ' (line approximate: podguard could not tell which line of this source wrote it)';

/** True for a root-relative path below the root (not the root itself, nothing above it). */
function insideRoot(rel: string): boolean {
  return rel !== '' && !climbsOut(rel);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 Helm charts, 1 kustomization: not rendered (helm was not found on PATH)". */
export function renderSummaryLine(s: RenderSummary | undefined): string | undefined {
  if (!s || s.charts + s.kustomizations === 0) return undefined;
  const parts: string[] = [];
  if (s.rendered) parts.push(`${plural(s.rendered, 'render')} checked`);
  const nc = s.notRendered.charts;
  const nk = s.notRendered.kustomizations;
  if (nc + nk > 0) {
    const what = [nc ? plural(nc, 'Helm chart') : '', nk ? plural(nk, 'kustomization') : ''].filter(Boolean).join(', ');
    parts.push(`${what}: not rendered${s.reasons.length ? ` (${[...new Set(s.reasons)].join('; ')})` : ''}`);
  }
  if (s.failed) parts.push(`${plural(s.failed, 'render')} failed`);
  return parts.join('; ');
}

/** Runs the stage: discovers, renders, and prepares the mapping. */
export async function prepareRender(input: RenderInput): Promise<RenderStage> {
  const roots = renderRoots(input.root, input.markers);
  // The run keeps its input to the end of the scan (the remap uses it), but not the collected
  // files: the stage's own list replaces them, and the checked batches let theirs go.
  const run = new Renders({ ...input, candidates: [] }, roots);
  const charts = input.stdin ? [] : roots.charts.filter((dir) => run.chartTouched(dir));
  run.summary.charts = charts.length;
  for (const dir of charts) await run.chart(dir);
  const tops = input.stdin ? [] : roots.topRoots.filter((dir) => run.touches(includedFiles(roots, dir)));
  run.summary.kustomizations = tops.length;
  for (const dir of tops) await run.kustomization(dir);
  if (input.stdin) run.keep(input.stdin.name, input.stdin.text, { kind: 'stdin' }, 'stdin', 'stdin.yaml');

  const virtuals = run.virtuals;
  const mapper = new Mapper(input.root, roots, input.settings.render, virtuals);
  return {
    candidates: toCheck(input.candidates, roots, run.covered, virtuals),
    notices: run.notices,
    summary: run.summary,
    virtual: new Set(virtuals.map((v) => v.relPath)),
    remap: (findings) => mapper.remap(findings),
    mappedSources: () => mapper.sources(),
    cleanup: () => run.cleanup(),
  };
}

/**
 * The files to check: the collected ones less chart templates and the files of rendered
 * kustomizations (kustomize patches not rendered are checked as partial objects), then the
 * rendered streams.
 */
function toCheck(
  collected: readonly Candidate[],
  roots: RenderRoots,
  covered: ReadonlySet<string>,
  virtuals: readonly Virtual[],
): Candidate[] {
  const patchFiles = new Set<string>();
  for (const k of roots.kustomizations.values()) for (const p of k.patches) if (p.file !== k.file) patchFiles.add(p.file);
  const out: Candidate[] = [];
  for (const c of collected) {
    if (isChartTemplate(c.relPath, roots.allCharts)) continue;
    if (covered.has(c.relPath)) continue;
    out.push(patchFiles.has(c.relPath) ? { ...c, partial: true } : c);
  }
  for (const v of virtuals) out.push({ absPath: v.absPath, relPath: v.relPath, nameKind: 'yaml', rendered: true });
  return out;
}

/** A chart or kustomize root: the file its notices point at, and the identity they carry. */
interface Target {
  file: string;
  identity: string;
}

/** A notice's own part (the rule and the level are the stage's). */
type NoticeFields = Omit<RenderNotice, 'ruleId' | 'level' | 'file' | 'identity'>;

/** A renderer found for a kustomize root: kustomize, or kubectl's embedded one. */
interface Kustomizer {
  path: string;
  viaKubectl: boolean;
}

/** One run of the stage: what it rendered, what it reported, and the scratch files it made. */
class Renders {
  readonly notices: RenderNotice[] = [];
  readonly summary: RenderSummary = {
    charts: 0,
    kustomizations: 0,
    rendered: 0,
    failed: 0,
    notRendered: { charts: 0, kustomizations: 0 },
    reasons: [],
  };
  readonly virtuals: Virtual[] = [];
  /** Files of rendered kustomizations (checked in the rendered stream, not on their own). */
  readonly covered = new Set<string>();
  private readonly root: string;
  private readonly realRoot: string;
  private readonly cfg: RenderSettings;
  private readonly timeoutMs: number;
  private scratchDir: Scratch | undefined;
  private readonly tools = new Map<Tool, { path?: string; looked: string }>();
  /** Reference problems already reported (a base included by two roots is reported once). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly input: RenderInput,
    private readonly roots: RenderRoots,
  ) {
    this.root = input.root;
    this.realRoot = realRootOf(input.root);
    this.cfg = input.settings.render;
    this.timeoutMs = this.cfg.timeoutSeconds * 1000;
  }

  /** True when a pull-request scan changed one of `files` (always true outside one). */
  touches(files: Iterable<string>): boolean {
    const changed = this.input.only;
    if (!changed) return true;
    for (const f of files) if (changed.has(f)) return true;
    return false;
  }

  /** True when a pull-request scan changed a file under the chart directory. */
  chartTouched(dir: string): boolean {
    const changed = this.input.only;
    if (!changed) return true;
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const f of changed) if (f.startsWith(prefix)) return true;
    return false;
  }

  cleanup(): void {
    this.scratchDir?.remove();
  }

  private scratch(): Scratch {
    return (this.scratchDir ??= new Scratch());
  }

  private tool(t: Tool): { path?: string; looked: string } {
    let found = this.tools.get(t);
    if (!found) this.tools.set(t, (found = findTool(t, t === 'kubectl' ? undefined : this.cfg[t], this.input.env, this.root)));
    return found;
  }

  /** A `not-rendered` finding, at the level `render.mode` asks for (`required` raises it to error). */
  private notRendered(at: Target, n: NoticeFields): void {
    const level: Level | undefined = this.cfg.mode === 'required' ? 'error' : undefined;
    this.notices.push({ ruleId: 'not-rendered', ...n, file: at.file, identity: at.identity, ...(level ? { level } : {}) });
  }

  /** A render that failed: counted once, however many `render-failed` findings say why. */
  private failed(at: Target, ...why: NoticeFields[]): void {
    this.summary.failed++;
    for (const n of why) this.notices.push({ ruleId: 'render-failed', ...n, file: at.file, identity: at.identity });
  }

  /** A root left unrendered, counted under its kind; `reason` goes into the summary line. */
  private skipped(kind: keyof RenderSummary['notRendered'], reason?: string): void {
    this.summary.notRendered[kind]++;
    if (reason !== undefined) this.summary.reasons.push(reason);
  }

  /** Keeps a rendered stream: written to a new scratch subdirectory and checked as `relPath`. */
  keep(relPath: string, text: string, origin: Origin, sub = 'out', name = 'rendered.yaml'): void {
    const abs = join(this.scratch().sub(sub), name);
    writeFileSync(abs, text);
    this.virtuals.push({ relPath, absPath: abs, origin, home: relPath, text });
  }

  /** Renders one chart with `helm template`, or says why it is not rendered. */
  async chart(dir: string): Promise<void> {
    const at: Target = { file: dir ? `${dir}/Chart.yaml` : 'Chart.yaml', identity: `chart ${dir || '.'}` };
    const absDir = resolve(this.root, dir);
    const chartDoc = asMap(parseYaml(safeRead(join(absDir, 'Chart.yaml'))).docs[0]?.root ?? undefined);
    if (asText(get(chartDoc, 'type')) === 'library') {
      // A library chart renders nothing on its own; its templates reach manifests through the charts using it.
      this.summary.charts--;
      return;
    }
    const helm = this.helmFor(at, absDir, chartDoc);
    if (!helm) return;
    const chartCfg = this.cfg.charts[dir || '.'] ?? this.cfg.charts[dir] ?? { valuesFiles: [] };
    const values = valuesFilesOf(this.root, absDir, chartCfg);
    if (values.bad.length) return this.failed(at, ...values.bad.map((file) => ({ messageId: 'valuesFile', data: { file } })));
    const s = this.scratch();
    const args = ['template', chartCfg.releaseName ?? 'release', absDir, '--namespace', chartCfg.namespace ?? 'default'];
    args.push('--kube-version', `v${this.input.settings.kubernetesVersion}.0`);
    for (const v of values.files) args.push('--values', resolve(this.root, v));
    const run = await runTool(helm, args, { cwd: s.sub('helm-cwd'), env: cleanEnv(s), timeoutMs: this.timeoutMs });
    if (!run.ok) {
      const error = toolError(run.error, { scratch: s.dir, root: this.root });
      return this.failed(at, { messageId: 'failed', data: { tool: 'helm template', error } });
    }
    this.summary.rendered++;
    this.keep(at.file, run.stdout, { kind: 'helm', chartDir: dir, valuesFiles: values.files });
  }

  /**
   * The helm binary to render a chart with; undefined (reported) when it is not rendered:
   * rendering is off, helm is missing, a dependency would have to be downloaded, or a link
   * under the chart leads out of the repository.
   */
  private helmFor(at: Target, absDir: string, chartDoc: YMap | undefined): string | undefined {
    if (this.cfg.mode === 'off') {
      this.skipped('charts', 'render.mode: off');
      return undefined;
    }
    const helm = this.tool('helm');
    if (!helm.path) {
      this.skipped('charts', `helm was not found ${helm.looked}`);
      this.notRendered(at, { messageId: 'noTool', data: { tool: 'helm', looked: helm.looked, what: 'Helm chart' } });
      return undefined;
    }
    const missingDep = remoteDependency(absDir, chartDoc);
    if (missingDep) {
      this.skipped('charts');
      this.notRendered(at, { messageId: 'remoteChart', data: {}, ...missingDep });
      return undefined;
    }
    if (linkOutside(this.realRoot, absDir)) {
      this.failed(at, { messageId: 'linkOutside', data: { what: 'chart' } });
      return undefined;
    }
    return helm.path;
  }

  /** Renders one kustomize root with `kustomize build` (or `kubectl kustomize`), or says why it is not rendered. */
  async kustomization(dir: string): Promise<void> {
    const k = this.roots.kustomizations.get(dir)!;
    const at: Target = { file: k.file, identity: `kustomization ${dir || '.'}` };
    if (this.cfg.mode === 'off') return this.skipped('kustomizations', 'render.mode: off');
    if (this.refProblems(reachable(this.roots, dir))) return this.skipped('kustomizations');
    const kz = this.kustomizer(at);
    if (!kz) return;
    const helmPath = this.cfg.enableHelm ? this.tool('helm').path : undefined;
    const s = this.scratch();
    const wrapper = s.sub('kustomize');
    // A wrapper kustomization beside the scratch files asks for origin and transformer
    // annotations, so the user's kustomization is never edited.
    const ref = toRel(wrapper, resolve(this.root, dir));
    writeFileSync(
      join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(ref)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
    );
    const args = [kz.viaKubectl ? 'kustomize' : 'build', wrapper, '--load-restrictor', 'LoadRestrictionsRootOnly'];
    if (this.cfg.enableHelm && helmPath) args.push('--enable-helm', '--helm-command', helmPath);
    const run = await runTool(kz.path, args, { cwd: wrapper, env: cleanEnv(s), timeoutMs: this.timeoutMs });
    if (!run.ok) {
      const tool = kz.viaKubectl ? 'kubectl kustomize' : 'kustomize build';
      const error = toolError(run.error.split(wrapper).join('…'), { scratch: s.dir, root: this.root });
      return this.failed(at, { messageId: 'failed', data: { tool, error } });
    }
    this.summary.rendered++;
    for (const f of includedFiles(this.roots, dir)) this.covered.add(f);
    this.keep(k.file, run.stdout, { kind: 'kustomize', dir, wrapper });
  }

  /** The kustomize to run; undefined (reported) when there is none. */
  private kustomizer(at: Target): Kustomizer | undefined {
    const kz = this.tool('kustomize');
    if (kz.path) return { path: kz.path, viaKubectl: false };
    // kubectl embeds kustomize (`kubectl kustomize`, same flags): hosted CI agents ship kubectl.
    if (!this.cfg.kustomize && !this.input.env[TOOL_ENV.kustomize]) {
      const kubectl = this.tool('kubectl');
      if (kubectl.path) return { path: kubectl.path, viaKubectl: true };
    }
    this.skipped('kustomizations', `kustomize was not found ${kz.looked}`);
    this.notRendered(at, { messageId: 'noTool', data: { tool: 'kustomize', looked: kz.looked, what: 'kustomization' } });
    return undefined;
  }

  /**
   * Reports the references kustomize would have to fetch or follow out of the repository, once
   * per kustomization that makes them; true when one blocks the render.
   */
  private refProblems(ks: readonly Kustomization[]): boolean {
    let blocked = false;
    for (const k of ks) {
      for (const p of k.problems) {
        if (p.kind === 'helmCharts' && this.cfg.enableHelm) continue;
        if (p.kind === 'missing') continue; // kustomize says so itself, in its own words
        blocked = true;
        const key = `${p.file}:${p.offset}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        const at = { file: p.file, identity: `kustomization ${k.dir || '.'}` };
        this.notRendered(at, { messageId: p.kind, data: {}, offset: p.offset, endOffset: p.endOffset });
      }
    }
    return blocked;
  }
}

/** A chart's configured values files, root-relative; `bad` lists those (as written) outside the repository or missing. */
function valuesFilesOf(root: string, absDir: string, chartCfg: ChartSettings): { files: string[]; bad: string[] } {
  const files: string[] = [];
  const bad: string[] = [];
  for (const v of chartCfg.valuesFiles) {
    const rel = toRel(root, resolve(absDir, v));
    if (insideRoot(rel) && existsSync(resolve(root, rel))) files.push(rel);
    else bad.push(v);
  }
  return { files, bad };
}

function safeRead(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}

/** A dependency that would have to be downloaded (not vendored under charts/): podguard never fetches. */
function remoteDependency(absDir: string, chart: YMap | undefined): { offset: number; endOffset: number } | undefined {
  for (const dep of asItems(get(chart, 'dependencies'))) {
    const name = asText(get(dep, 'name'));
    const repo = asText(get(dep, 'repository')) ?? '';
    if (!name || repo.startsWith('file://') || repo === '') continue;
    let vendored = existsSync(join(absDir, 'charts', name));
    try {
      vendored ||= readdirSync(join(absDir, 'charts')).some((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'));
    } catch {
      // no charts/ directory
    }
    if (!vendored) return { offset: dep.start, endOffset: dep.end };
  }
  return undefined;
}

interface Parsed {
  text: string;
  lines: LineIndex;
  docs: YDoc[];
}

/** Maps findings on rendered streams to their sources. */
class Mapper {
  private readonly byPath: Map<string, Virtual>;
  private readonly cache = new Map<string, Parsed | undefined>();
  private readonly used = new Set<string>();
  private readonly texts: Map<string, string>;

  constructor(
    private readonly root: string,
    private readonly roots: RenderRoots,
    private readonly cfg: RenderSettings,
    virtuals: readonly Virtual[],
  ) {
    this.byPath = new Map(virtuals.map((v) => [v.relPath, v]));
    this.texts = new Map(virtuals.map((v) => [v.absPath, v.text]));
  }

  private parsed(abs: string): Parsed | undefined {
    if (this.cache.has(abs)) return this.cache.get(abs);
    let p: Parsed | undefined;
    try {
      const text = this.texts.get(abs) ?? readFileSync(abs, 'utf8');
      p = { text, lines: new LineIndex(text), docs: parseYaml(text).docs };
    } catch {
      p = undefined;
    }
    this.cache.set(abs, p);
    return p;
  }

  sources(): { absPath: string; relPath: string }[] {
    return [...this.used].map((rel) => ({ absPath: resolve(this.root, rel), relPath: rel }));
  }

  remap(findings: Finding[]): Finding[] {
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const f of findings) {
      const v = this.byPath.get(f.file);
      if (v) this.move(f, v);
      if (v) {
        const key = `${f.ruleId}\0${f.file}\0${f.range.start.line}:${f.range.start.column}\0${f.identity}\0${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(f);
    }
    return out;
  }

  private move(f: Finding, v: Virtual): void {
    if (!this.place(f, v)) approximate(f, v.home);
    f.fingerprint = hash('sha256', `${FP_SALT}\0${f.fingerprint}\0${f.file}`, 'hex').slice(0, 32);
  }

  /** Moves a finding to the source that wrote its place; false when it stays on the stream's home file. */
  private place(f: Finding, v: Virtual): boolean {
    const stream = this.parsed(v.absPath);
    if (!stream) return false;
    const offset = Math.min(stream.text.length, stream.lines.lineStart(f.range.start.line) + f.range.start.column - 1);
    const doc = [...stream.docs].reverse().find((d) => d.root && d.root.start <= offset) ?? stream.docs[0];
    const path = pathAt(doc?.root, offset);
    const placed = v.origin.kind === 'kustomize' ? this.kustomize(f, v, doc, path) : this.helm(f, v, stream, doc, path);
    // A stream from standard input is its own source: a finding the repository does not explain stays on it.
    return placed || v.origin.kind === 'stdin';
  }

  /** `# Source: chart/templates/x.yaml` before the document. */
  private sourceComment(stream: Parsed, doc: YDoc | undefined): string | undefined {
    if (!doc?.root) return undefined;
    const before = stream.text.slice(0, doc.root.start);
    const docStart = Math.max(before.lastIndexOf('\n---'), 0);
    const m = /^# Source: (.+)$/m.exec(before.slice(docStart));
    return m?.[1]?.trim();
  }

  private helm(f: Finding, v: Virtual, stream: Parsed, doc: YDoc | undefined, path: Step[]): boolean {
    const source = this.sourceComment(stream, doc);
    if (!source) return false;
    let template: string | undefined;
    let chartDir: string;
    let valuesFiles: string[] = [];
    if (v.origin.kind === 'helm') {
      chartDir = v.origin.chartDir;
      valuesFiles = v.origin.valuesFiles;
      const rest = source.split('/').slice(1).join('/');
      template = posix.normalize(chartDir ? `${chartDir}/${rest}` : rest);
    } else {
      // A stream from standard input: the template is found when the chart sits in the repository.
      const direct = posix.normalize(source);
      const chart = this.roots.allCharts.find((d) => posix.basename(d) === source.split('/')[0]);
      const viaChart = chart !== undefined ? posix.normalize(`${chart}/${source.split('/').slice(1).join('/')}`) : undefined;
      template = [direct, viaChart].find((p) => p && insideRoot(p) && existsSync(resolve(this.root, p)));
      if (!template) {
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
        f.properties = { ...(f.properties ?? {}), source: source.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200) };
        return true;
      }
      chartDir = chart ?? '';
    }
    if (!insideRoot(template) || !existsSync(resolve(this.root, template))) return false;
    const text = this.parsed(resolve(this.root, template))?.text;
    if (text === undefined) return false;
    f.file = template;
    this.used.add(template);
    const hit = templateLine(text, path);
    if (!hit) {
      approximate(f);
      return true;
    }
    f.range = lineRange(text, hit.line);
    const related = this.valuesLocations(template, chartDir, valuesFiles, hit.values);
    if (related.length) f.related = related;
    return true;
  }

  /** Values files that may set a value for a template, highest precedence first, with the key prefix each needs. */
  private valuesChain(template: string, chartDir: string, valuesFiles: readonly string[]): { file: string; prefix: string[] }[] {
    const prefix = chartDir ? `${chartDir}/` : '';
    const rest = template.slice(prefix.length).split('/');
    // charts/<sub>/charts/<subsub>/templates/... -> ['sub', 'subsub']
    const subs: string[] = [];
    for (let i = 0; i + 1 < rest.length && rest[i] === 'charts'; i += 2) subs.push(rest[i + 1]!);
    const chain: { file: string; prefix: string[] }[] = [];
    const top = chartDir ? `${chartDir}/values.yaml` : 'values.yaml';
    for (const v of [...valuesFiles].reverse()) chain.push({ file: v, prefix: subs });
    chain.push({ file: top, prefix: subs });
    let dir = chartDir;
    for (let i = 0; i < subs.length; i++) {
      dir = dir ? `${dir}/charts/${subs[i]}` : `charts/${subs[i]}`;
      chain.push({ file: `${dir}/values.yaml`, prefix: subs.slice(i + 1) });
    }
    return chain;
  }

  private valuesLocations(
    template: string,
    chartDir: string,
    valuesFiles: readonly string[],
    refs: readonly string[][],
  ): NonNullable<Finding['related']> {
    const out: NonNullable<Finding['related']> = [];
    const chain = this.valuesChain(template, chartDir, valuesFiles);
    for (const keys of refs) {
      for (const { file, prefix } of chain) {
        const parsed = this.parsed(resolve(this.root, file));
        if (!parsed) continue;
        const pair = valuesPair(parsed.docs[0]?.root, [...prefix, ...keys]);
        if (!pair) continue;
        out.push({
          file,
          range: pairRange(parsed, pair),
          message: `the value comes from ${[...prefix, ...keys].join('.')} in ${posix.basename(file)}`,
        });
        break;
      }
      if (out.length >= 3) break;
    }
    return out;
  }

  private kustomize(f: Finding, v: Virtual, doc: YDoc | undefined, path: Step[]): boolean {
    if (v.origin.kind !== 'kustomize' || !doc?.root) return false;
    const meta = asMap(get(doc.root, 'metadata'));
    const annotations = asMap(get(meta, 'annotations'));
    const kind = asText(get(doc.root, 'kind')) ?? '';
    const name = asText(get(meta, 'name')) ?? '';
    const wrapper = v.origin.wrapper;
    const fromWrapper = (p: string): string => toRel(this.root, resolve(wrapper, p));
    const originText = asText(get(annotations, 'config.kubernetes.io/origin')) ?? '';
    const originDoc = asMap(parseYaml(originText).docs[0]?.root ?? undefined);
    const originPath = asText(get(originDoc, 'path'));
    const configuredIn = asText(get(originDoc, 'configuredIn'));
    const transformText = asText(get(annotations, 'alpha.config.kubernetes.io/transformations')) ?? '';
    const patchKustomizations = new Set<string>();
    for (const t of asItems(parseYaml(transformText).docs[0]?.root ?? undefined)) {
      const by = asText(get(asMap(get(t, 'configuredBy')), 'kind')) ?? '';
      const at = asText(get(t, 'configuredIn'));
      if (at && /Patch/.test(by)) patchKustomizations.add(fromWrapper(at));
    }
    // Patches applied later win: look at the outermost kustomization's patches first, last patch first.
    const patches: PatchRef[] = [];
    for (const k of reachable(this.roots, v.origin.dir)) if (patchKustomizations.has(k.file)) patches.push(...[...k.patches].reverse());
    // A missing field is missing from the object as a whole: it is reported on the resource, not on a patch.
    if (!isMissingField(f)) for (const p of patches) if (this.placeInPatch(f, p, kind, name, path)) return true;
    const resource = originPath ? fromWrapper(originPath) : configuredIn ? fromWrapper(configuredIn) : undefined;
    if (!resource || !insideRoot(resource)) return false;
    const parsed = this.parsed(resolve(this.root, resource));
    if (!parsed) return false;
    this.used.add(resource);
    f.file = resource;
    const docs = k8sObjects(parsed.docs).filter((o) => o.kind === kind);
    const target =
      docs.find((o) => o.name === name) ?? docs.find((o) => o.name && name.includes(o.name)) ?? (docs.length === 1 ? docs[0] : undefined);
    if (!target) {
      approximate(f);
      return true;
    }
    const { at, depth } = follow(target.node, path);
    f.range = at ? firstLineRange(parsed, at) : lineOne();
    if (depth < path.length && !isMissingField(f)) f.message += APPROX;
    return true;
  }

  private placeInPatch(f: Finding, p: PatchRef, kind: string, name: string, path: Step[]): boolean {
    if (p.target?.kind && p.target.kind !== kind) return false;
    if (p.target?.name && p.target.name !== name && !name.endsWith(p.target.name)) return false;
    if (p.inline) {
      // An inline patch is a string in the kustomization: parse its text, then find its lines there.
      const k = this.parsed(resolve(this.root, p.kustomization));
      if (!k) return false;
      const text = asText(p.inline) ?? '';
      const first = k.text.indexOf(text.split('\n')[0] ?? '', p.inline.start);
      if (first < 0) return false;
      const inner = parseYaml(text)
        .docs.map((d) => d.root)
        .filter((r): r is YNode => !!r);
      return this.placeInline(f, p, k, text, inner, kind, name, path, first);
    }
    const parsed = this.parsed(resolve(this.root, p.file));
    if (!parsed) return false;
    const roots = parsed.docs.map((d) => d.root).filter((r): r is YNode => !!r);
    const at = this.patchNode(p, roots, kind, name, path);
    if (!at) return false;
    this.used.add(p.file);
    f.file = p.file;
    f.range = firstLineRange(parsed, at);
    return true;
  }

  private placeInline(
    f: Finding,
    p: PatchRef,
    k: Parsed,
    text: string,
    roots: YNode[],
    kind: string,
    name: string,
    path: Step[],
    base: number,
  ): boolean {
    const at = this.patchNode(p, roots, kind, name, path);
    if (!at) return false;
    const inner = new LineIndex(text);
    const start = 'key' in at ? at.key.start : at.start;
    const line = inner.position(start).line;
    const baseLine = k.lines.position(base).line;
    f.file = p.kustomization;
    f.range = lineRange(k.text, baseLine + line - 1);
    return true;
  }

  /** The node of a patch that sets `path` on the object, if this patch sets it. */
  private patchNode(p: PatchRef, roots: readonly YNode[], kind: string, name: string, path: Step[]): YNode | YPair | undefined {
    if (p.json6902) {
      const ops = roots.flatMap((r) => asItems(r));
      for (const op of [...ops].reverse()) {
        const what = asText(get(op, 'op'));
        const ptr = pointer(asText(get(op, 'path')) ?? '');
        if (what !== 'add' && what !== 'replace' && what !== 'copy' && what !== 'move') continue;
        if (!pointerCovers(ptr, path)) continue;
        const value = get(op, 'value');
        if (!value) return op;
        const { at, depth } = follow(value, path.slice(ptr.length));
        return depth === path.length - ptr.length && at ? at : op;
      }
      return undefined;
    }
    for (const r of roots) {
      const meta = asMap(get(r, 'metadata'));
      const rk = asText(get(r, 'kind'));
      const rn = asText(get(meta, 'name'));
      if (rk && rk !== kind) continue;
      if (rn && rn !== name && !name.endsWith(rn) && !p.target) continue;
      const { at, depth } = follow(r, path);
      if (depth === path.length && at) return at;
    }
    return undefined;
  }
}

/** Missing-field reports point at a parent, so a partial path is exact for them. */
function isMissingField(f: Finding): boolean {
  return /^missing|Missing$/.test(f.messageId);
}

/** Puts a finding on line 1 of `file`, saying so in its message. */
function approximate(f: Finding, file = f.file): void {
  f.file = file;
  f.range = lineOne();
  f.message += APPROX;
}

function lineOne(): Range {
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

/** The text of a line, from its first non-blank character. */
function lineRange(text: string, line: number): Range {
  const t = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const col = t.length - t.trimStart().length + 1;
  return { start: { line, column: col }, end: { line, column: Math.max(col, t.trimEnd().length + 1) } };
}

/** A pair's key (and scalar value), or the first line of a node. */
function firstLineRange(p: Parsed, at: YNode | YPair): Range {
  if ('key' in at) return pairRange(p, at);
  const eol = p.text.indexOf('\n', at.start);
  return p.lines.range(at.start, eol < 0 ? at.end : Math.min(at.end, eol));
}

function pairRange(p: Parsed, pair: YPair): Range {
  const end = pair.value.kind === 'scalar' ? pair.value.end : pair.key.end;
  return p.lines.range(pair.key.start, Math.max(end, pair.key.end));
}

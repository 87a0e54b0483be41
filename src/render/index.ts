/**
 * The render stage: Helm charts and kustomize roots -> rendered manifest streams checked like
 * files, and findings on them mapped back to the template, values or patch line that wrote them.
 * Runs between collection and checking; nothing in the user's tree is written or executed.
 */
import { hash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import type { Candidate } from '../collect/collect.js';
import type { RenderSettings, Settings } from '../config/settings.js';
import { LineIndex } from '../parse/positions.js';
import { parseYaml } from '../parse/yaml.js';
import type { YDoc, YNode, YPair } from '../parse/yaml.js';
import { asItems, asMap, asText, get } from '../parse/yaml.js';
import { k8sObjects } from '../parse/kubernetes.js';
import type { Finding, Level, Range } from '../types.js';
import { includedFiles, isChartTemplate, linkOutside, reachable, renderRoots } from './discover.js';
import type { Kustomization, PatchRef, RenderRoots } from './discover.js';
import { follow, pathAt, pointer, pointerCovers, templateLine, valuesPair } from './map.js';
import type { Step } from './map.js';
import { Scratch, TOOL_ENV, cleanEnv, findTool, runTool, toolError } from './tools.js';
import type { Tool } from './tools.js';

export { isChartTemplate } from './discover.js';

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

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

function insideRoot(root: string, rel: string): boolean {
  return rel !== '' && !rel.startsWith('../') && rel !== '..' && !posix.isAbsolute(rel);
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
  const root = input.root;
  const cfg = input.settings.render;
  const roots = renderRoots(root, input.markers);
  const notices: RenderNotice[] = [];
  const summary: RenderSummary = {
    charts: roots.charts.length,
    kustomizations: roots.topRoots.length,
    rendered: 0,
    failed: 0,
    notRendered: { charts: 0, kustomizations: 0 },
    reasons: [],
  };
  let scratch: Scratch | undefined;
  const scratchDir = (): Scratch => (scratch ??= new Scratch());
  const virtuals: Virtual[] = [];
  const covered = new Set<string>();
  const changed = input.only;
  let realRoot = root;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    // keep as given
  }
  const notRenderedLevel: Level | undefined = cfg.mode === 'required' ? 'error' : undefined;
  /** A `not-rendered` finding, at the level `render.mode` asks for. */
  const notRendered = (n: Omit<RenderNotice, 'ruleId' | 'level'>): void => {
    notices.push({ ruleId: 'not-rendered', ...n, ...(notRenderedLevel ? { level: notRenderedLevel } : {}) });
  };

  // Remote-reference and other reference problems are reported once per kustomization that makes them.
  const reported = new Set<string>();
  const refProblems = (ks: readonly Kustomization[]): boolean => {
    let blocked = false;
    for (const k of ks) {
      for (const p of k.problems) {
        if (p.kind === 'helmCharts' && cfg.enableHelm) continue;
        if (p.kind === 'missing') continue; // kustomize says so itself, in its own words
        blocked = true;
        const key = `${p.file}:${p.offset}`;
        if (reported.has(key)) continue;
        reported.add(key);
        notRendered({
          messageId: p.kind,
          data: {},
          file: p.file,
          offset: p.offset,
          endOffset: p.endOffset,
          identity: `kustomization ${k.dir || '.'}`,
        });
      }
    }
    return blocked;
  };

  const touches = (files: Iterable<string>): boolean => {
    if (!changed) return true;
    for (const f of files) if (changed.has(f)) return true;
    return false;
  };
  const chartTouched = (dir: string): boolean => {
    if (!changed) return true;
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const f of changed) if (f.startsWith(prefix)) return true;
    return false;
  };

  const toolCache = new Map<Tool, { path?: string; looked: string }>();
  const tool = (t: Tool): { path?: string; looked: string } => {
    let found = toolCache.get(t);
    if (!found) toolCache.set(t, (found = findTool(t, t === 'kubectl' ? undefined : cfg[t], input.env, root)));
    return found;
  };
  const timeoutMs = cfg.timeoutSeconds * 1000;

  // --- Helm charts ---
  const charts = input.stdin ? [] : roots.charts.filter(chartTouched);
  summary.charts = charts.length;
  for (const dir of charts) {
    const chartFile = dir ? `${dir}/Chart.yaml` : 'Chart.yaml';
    const absDir = resolve(root, dir);
    const chartText = safeRead(join(absDir, 'Chart.yaml'));
    const chartDoc = asMap(parseYaml(chartText).docs[0]?.root ?? undefined);
    if (asText(get(chartDoc, 'type')) === 'library') {
      // A library chart renders nothing on its own; its templates reach manifests through the charts using it.
      summary.charts--;
      continue;
    }
    if (cfg.mode === 'off') {
      summary.notRendered.charts++;
      summary.reasons.push('render.mode: off');
      continue;
    }
    const helm = tool('helm');
    if (!helm.path) {
      summary.notRendered.charts++;
      summary.reasons.push(`helm was not found ${helm.looked}`);
      notRendered({
        messageId: 'noTool',
        data: { tool: 'helm', looked: helm.looked, what: 'Helm chart' },
        file: chartFile,
        identity: `chart ${dir || '.'}`,
      });
      continue;
    }
    const missingDep = remoteDependency(absDir, chartDoc);
    if (missingDep) {
      summary.notRendered.charts++;
      notRendered({
        messageId: 'remoteChart',
        data: {},
        file: chartFile,
        offset: missingDep.offset,
        endOffset: missingDep.endOffset,
        identity: `chart ${dir || '.'}`,
      });
      continue;
    }
    if (linkOutside(realRoot, absDir)) {
      summary.failed++;
      notices.push({
        ruleId: 'render-failed',
        messageId: 'linkOutside',
        data: { what: 'chart' },
        file: chartFile,
        identity: `chart ${dir || '.'}`,
      });
      continue;
    }
    const chartCfg = cfg.charts[dir || '.'] ?? cfg.charts[dir] ?? { valuesFiles: [] };
    const valuesFiles: string[] = [];
    let badValues = false;
    for (const v of chartCfg.valuesFiles) {
      const rel = toRel(root, resolve(absDir, v));
      if (!insideRoot(root, rel) || !existsSync(resolve(root, rel))) {
        badValues = true;
        notices.push({
          ruleId: 'render-failed',
          messageId: 'valuesFile',
          data: { file: v },
          file: chartFile,
          identity: `chart ${dir || '.'}`,
        });
        continue;
      }
      valuesFiles.push(rel);
    }
    if (badValues) {
      summary.failed++;
      continue;
    }
    const s = scratchDir();
    const args = ['template', chartCfg.releaseName ?? 'release', absDir, '--namespace', chartCfg.namespace ?? 'default'];
    args.push('--kube-version', `v${input.settings.kubernetesVersion}.0`);
    for (const v of valuesFiles) args.push('--values', resolve(root, v));
    const run = await runTool(helm.path, args, { cwd: s.sub('helm-cwd'), env: cleanEnv(s), timeoutMs });
    if (!run.ok) {
      summary.failed++;
      notices.push({
        ruleId: 'render-failed',
        messageId: 'failed',
        data: { tool: 'helm template', error: toolError(run.error, { scratch: s.dir, root }) },
        file: chartFile,
        identity: `chart ${dir || '.'}`,
      });
      continue;
    }
    summary.rendered++;
    const abs = join(s.sub('out'), 'rendered.yaml');
    writeFileSync(abs, run.stdout);
    virtuals.push({
      relPath: chartFile,
      absPath: abs,
      origin: { kind: 'helm', chartDir: dir, valuesFiles },
      home: chartFile,
      text: run.stdout,
    });
  }

  // --- kustomize roots ---
  const patchFiles = new Set<string>();
  for (const k of roots.kustomizations.values()) for (const p of k.patches) if (p.file !== k.file) patchFiles.add(p.file);
  const tops = input.stdin ? [] : roots.topRoots.filter((d) => touches(includedFiles(roots, d)));
  summary.kustomizations = tops.length;
  for (const dir of tops) {
    const k = roots.kustomizations.get(dir)!;
    const all = reachable(roots, dir);
    if (cfg.mode === 'off') {
      summary.notRendered.kustomizations++;
      summary.reasons.push('render.mode: off');
      continue;
    }
    if (refProblems(all)) {
      summary.notRendered.kustomizations++;
      continue;
    }
    let kz = tool('kustomize');
    // kubectl embeds kustomize (`kubectl kustomize`, same flags): hosted CI agents ship kubectl.
    let viaKubectl = false;
    if (!kz.path && !cfg.kustomize && !input.env[TOOL_ENV.kustomize]) {
      const kubectl = findTool('kubectl', undefined, input.env, root);
      if (kubectl.path) {
        kz = { path: kubectl.path, looked: 'on PATH (kubectl kustomize)' };
        viaKubectl = true;
      }
    }
    if (!kz.path) {
      summary.notRendered.kustomizations++;
      summary.reasons.push(`kustomize was not found ${kz.looked}`);
      notRendered({
        messageId: 'noTool',
        data: { tool: 'kustomize', looked: kz.looked, what: 'kustomization' },
        file: k.file,
        identity: `kustomization ${dir || '.'}`,
      });
      continue;
    }
    const helmPath = cfg.enableHelm ? tool('helm').path : undefined;
    const s = scratchDir();
    const wrapper = s.sub('kustomize');
    // A wrapper kustomization beside the scratch files asks for origin and transformer
    // annotations, so the user's kustomization is never edited.
    const ref = relative(wrapper, resolve(root, dir)).split(sep).join('/');
    writeFileSync(
      join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(ref)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
    );
    const args = [viaKubectl ? 'kustomize' : 'build', wrapper, '--load-restrictor', 'LoadRestrictionsRootOnly'];
    if (cfg.enableHelm && helmPath) args.push('--enable-helm', '--helm-command', helmPath);
    const run = await runTool(kz.path, args, { cwd: wrapper, env: cleanEnv(s), timeoutMs });
    if (!run.ok) {
      summary.failed++;
      notices.push({
        ruleId: 'render-failed',
        messageId: 'failed',
        data: {
          tool: viaKubectl ? 'kubectl kustomize' : 'kustomize build',
          error: toolError(run.error.split(wrapper).join('…'), { scratch: s.dir, root }),
        },
        file: k.file,
        identity: `kustomization ${dir || '.'}`,
      });
      continue;
    }
    summary.rendered++;
    for (const f of includedFiles(roots, dir)) covered.add(f);
    const abs = join(s.sub('out'), 'rendered.yaml');
    writeFileSync(abs, run.stdout);
    virtuals.push({ relPath: k.file, absPath: abs, origin: { kind: 'kustomize', dir, wrapper }, home: k.file, text: run.stdout });
  }

  if (input.stdin) {
    const s = scratchDir();
    const abs = join(s.sub('stdin'), 'stdin.yaml');
    writeFileSync(abs, input.stdin.text);
    virtuals.push({ relPath: input.stdin.name, absPath: abs, origin: { kind: 'stdin' }, home: input.stdin.name, text: input.stdin.text });
  }

  const candidates: Candidate[] = [];
  for (const c of input.candidates) {
    if (isChartTemplate(c.relPath, roots.allCharts)) continue;
    if (covered.has(c.relPath)) continue;
    candidates.push(patchFiles.has(c.relPath) ? { ...c, partial: true } : c);
  }
  for (const v of virtuals) candidates.push({ absPath: v.absPath, relPath: v.relPath, nameKind: 'yaml', rendered: true });

  const mapper = new Mapper(root, roots, input.settings.render, virtuals);
  return {
    candidates,
    notices,
    summary,
    virtual: new Set(virtuals.map((v) => v.relPath)),
    remap: (findings) => mapper.remap(findings),
    mappedSources: () => mapper.sources(),
    cleanup: () => scratch?.remove(),
  };
}

function safeRead(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}

/** A dependency that would have to be downloaded (not vendored under charts/): podguard never fetches. */
function remoteDependency(absDir: string, chart: ReturnType<typeof asMap>): { offset: number; endOffset: number } | undefined {
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
    const stream = this.parsed(v.absPath);
    const approx = (file: string): void => {
      f.file = file;
      f.range = lineOne();
      f.message += APPROX;
    };
    const fingerprint = (): void => {
      f.fingerprint = hash('sha256', `${FP_SALT}\0${f.fingerprint}\0${f.file}`, 'hex').slice(0, 32);
    };
    if (!stream) {
      approx(v.home);
      fingerprint();
      return;
    }
    const offset = Math.min(stream.text.length, stream.lines.lineStart(f.range.start.line) + f.range.start.column - 1);
    const doc = [...stream.docs].reverse().find((d) => d.root && d.root.start <= offset) ?? stream.docs[0];
    const path = pathAt(doc?.root, offset);
    const placed = v.origin.kind === 'kustomize' ? this.kustomize(f, v, doc, path) : this.helm(f, v, stream, doc, path);
    if (!placed && v.origin.kind !== 'stdin') approx(v.home);
    fingerprint();
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
      template = [direct, viaChart].find((p) => p && insideRoot(this.root, p) && existsSync(resolve(this.root, p)));
      if (!template) {
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
        f.properties = { ...(f.properties ?? {}), source: source.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200) };
        return true;
      }
      chartDir = chart ?? '';
    }
    if (!insideRoot(this.root, template) || !existsSync(resolve(this.root, template))) return false;
    const text = this.parsed(resolve(this.root, template))?.text;
    if (text === undefined) return false;
    f.file = template;
    this.used.add(template);
    const hit = templateLine(text, path);
    if (!hit) {
      f.range = lineOne();
      f.message += APPROX;
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
        const pair = valuesPair(parsed.docs[0]?.root, [...prefix, ...keys]) ?? (keys.length > 1 ? undefined : undefined);
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
    if (!resource || !insideRoot(this.root, resource)) return false;
    const parsed = this.parsed(resolve(this.root, resource));
    if (!parsed) return false;
    this.used.add(resource);
    f.file = resource;
    const docs = k8sObjects(parsed.docs).filter((o) => o.kind === kind);
    const target =
      docs.find((o) => o.name === name) ?? docs.find((o) => o.name && name.includes(o.name)) ?? (docs.length === 1 ? docs[0] : undefined);
    if (!target) {
      f.range = lineOne();
      f.message += APPROX;
      return true;
    }
    const { at, depth } = follow(target.node, path);
    f.range = at ? nodeRange(parsed, at) : lineOne();
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
    f.range = nodeRange(parsed, at);
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

function lineOne(): Range {
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

/** The text of a line, from its first non-blank character. */
function lineRange(text: string, line: number): Range {
  const t = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const col = t.length - t.trimStart().length + 1;
  return { start: { line, column: col }, end: { line, column: Math.max(col, t.trimEnd().length + 1) } };
}

function nodeRange(p: Parsed, at: YNode | YPair): Range {
  if ('key' in at) return pairRange(p, at);
  return p.lines.range(at.start, Math.min(at.end, p.text.indexOf('\n', at.start) < 0 ? at.end : p.text.indexOf('\n', at.start)));
}

function pairRange(p: Parsed, pair: YPair): Range {
  const end = pair.value.kind === 'scalar' ? pair.value.end : pair.key.end;
  return p.lines.range(pair.key.start, Math.max(end, pair.key.end));
}

/** Resolved settings: the configuration file merged with command-line or CI inputs. */
import type { LevelSetting, Profile } from '../types.js';
import type { ResourceIgnore } from './ignore.js';

/** A rule's configured level and options. */
export interface RuleSetting {
  level?: LevelSetting;
  options: Record<string, unknown>;
}

/** Per chart: how helm renders it (`render.charts.<chart directory>`). */
export interface ChartSettings {
  /** Values files (relative to the chart directory) after the chart's values.yaml, in order. */
  valuesFiles: string[];
  releaseName?: string;
  namespace?: string;
}

/** How Helm charts and kustomize roots are rendered (the `render:` block). */
export interface RenderSettings {
  /** required: a chart or kustomization left unrendered is an error; optional (default): a warning; off: never render. */
  mode: 'required' | 'optional' | 'off';
  /** helm binary (default: `helm` on PATH; `PODGUARD_HELM` overrides). */
  helm?: string;
  /** kustomize binary (default: `kustomize` on PATH; `PODGUARD_KUSTOMIZE` overrides). */
  kustomize?: string;
  /** Time limit per render, in seconds. */
  timeoutSeconds: number;
  /** Lets kustomize render `helmCharts:` (with the helm above; charts are never downloaded). */
  enableHelm: boolean;
  /** Per chart directory (relative to the root). */
  charts: Record<string, ChartSettings>;
}

/** Everything that tunes a scan. */
export interface Settings {
  rules: Record<string, RuleSetting>;
  /** Glob patterns of approved images (normalised names, no tag). Empty: the allowlist is off. */
  allowedImages: string[];
  /** Glob patterns of banned images, checked before the allowlist. */
  deniedImages: string[];
  requireDigest: boolean;
  /** Path globs (relative to the root) that are never scanned. */
  exclude: string[];
  /** Baseline file (relative to the root), if any. */
  baseline: string | undefined;
  profile: Profile;
  /** Files larger than this are skipped with a finding. */
  maxFileBytes: number;
  /** Target Kubernetes version (`1.34`), for API removal checks. */
  kubernetesVersion: string;
  /** Files or folders of admission policies (relative to the root), evaluated as `policy/<name>` rules. */
  admissionPolicies: string[];
  /** The configuration file that was read, if any (relative to the root). */
  configFile: string | undefined;
  /** Per-path profile and rule levels (`overrides:`), in order. */
  overrides: PathOverride[];
  /** Per-resource ignores (`ignore:`). */
  ignores: ResourceIgnore[];
  /** Rendering of Helm charts and kustomize roots. */
  render: RenderSettings;
}

/** The default target Kubernetes version: the newest minor generally available on AKS in late 2026. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

/** Defaults used when no configuration file exists. */
export function defaultSettings(): Settings {
  return {
    rules: {},
    allowedImages: [],
    deniedImages: [],
    requireDigest: false,
    exclude: [],
    baseline: undefined,
    profile: 'restricted',
    maxFileBytes: 5 * 1024 * 1024,
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    admissionPolicies: [],
    configFile: undefined,
    overrides: [],
    ignores: [],
    render: { mode: 'optional', timeoutSeconds: 60, enableHelm: false, charts: {} },
  };
}

/** One override entry, validated. */
export interface PathOverride {
  /** Path globs relative to the scanned root (`**` spans directories). */
  files: string[];
  profile?: Profile;
  /** Rule id -> level for files the globs match. */
  rules: Record<string, LevelSetting>;
  /** Compiled `files`. */
  matches: (file: string) => boolean;
}

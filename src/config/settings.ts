/** Resolved settings: the configuration file merged with command-line or CI inputs. */
import type { LevelSetting } from '../types.js';
import type { Profile } from '../rules/api.js';
import type { PathOverride } from './overrides.js';
import type { ResourceIgnore } from './ignore.js';

/** A rule's configured level and options. */
export interface RuleSetting {
  level?: LevelSetting;
  options: Record<string, unknown>;
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
  };
}

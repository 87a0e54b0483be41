/** Types for scripts/build.mjs (used by the dist staleness test). */
export declare const BUNDLES: { entry: string; out: string; shebang?: boolean; options?: Record<string, unknown> }[];
export declare function buildAll(outRoot?: string): Promise<string[]>;

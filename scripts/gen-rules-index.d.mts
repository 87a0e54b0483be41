/** Types for scripts/gen-rules-index.mjs (used by the registry test). */
export declare function ruleFiles(): string[];
export declare function indexSource(): string;

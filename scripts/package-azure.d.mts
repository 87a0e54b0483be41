/** Builds the .vsix at `out` (default podguard-<version>.vsix in the project root); resolves its path. */
export function packageAzure(out?: string): Promise<string>;

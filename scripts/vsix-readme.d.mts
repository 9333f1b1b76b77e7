// Types of scripts/vsix-readme.mjs for the TypeScript tests that import it.
export function repositoryBlobBase(pkg: Record<string, unknown>): string | undefined;
export function vsixReadme(text: string, readmePath: string, pkg: Record<string, unknown>): string;

// Types for check-asar.mjs, so TypeScript tests can import it.
export declare const PRELOAD: string;
export declare const RENDERER_INDEX: string;
export declare function findProblems(entries: readonly string[], options: { main: string }): string[];
export declare function checkAsar(asarPath: string): { entries: string[]; main: string; problems: string[] };

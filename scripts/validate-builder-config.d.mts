// Types for validate-builder-config.mjs, so TypeScript tests can import it.
export declare function validateConfig(config: unknown): string[];
export declare function validateConfigFile(file: string): Promise<string[]>;
export declare const ALLOWED_ENTITLEMENTS: readonly string[];
export declare function entitlementKeys(plist: string): { granted: string[]; other: string[] };
export declare function findPolicyProblems(
  config: Record<string, unknown>,
  readText: (relativePath: string) => Promise<string>,
): Promise<string[]>;

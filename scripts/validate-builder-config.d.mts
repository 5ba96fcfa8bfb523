// Types for validate-builder-config.mjs, so TypeScript tests can import it.
export declare function validateConfig(config: unknown): string[];
export declare function validateConfigFile(file: string): Promise<string[]>;

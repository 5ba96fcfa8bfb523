// Types for render-icons.mjs, so TypeScript tests can import it.
export declare const TRAY_STATES: Readonly<Record<'stopped' | 'listening' | 'transferring', string>>;
export declare function renderAll(): Promise<Array<[path: string, bytes: Buffer]>>;
export declare function findStale(): Promise<string[]>;

// What the desktop shell lends the controller: native pickers and the file manager (Electron's, in
// electron/shell/dialogs.ts). The headless server has none of these; the controller then answers
// "not available".

export interface NativeDialogs {
  /** folder picker; resolves to an absolute path, or null when cancelled */
  chooseFolder(defaultPath?: string): Promise<string | null>;
  /** opens a folder in Finder/Explorer/the file manager; resolves to '' or an error message */
  openFolder(path: string): Promise<string>;
  /** save dialog; resolves to the chosen absolute path, or null when cancelled */
  chooseSavePath(suggestedName: string): Promise<string | null>;
  /** file picker (any file); resolves to an absolute path, or null when cancelled */
  chooseOpenFile(defaultPath?: string): Promise<string | null>;
  /** save dialog for any file, starting at `defaultPath`; an absolute path, or null when cancelled */
  chooseSaveFile(defaultPath: string): Promise<string | null>;
}

export const NOT_IN_BROWSER =
  'This is not available in the browser UI: use the desktop app or a file manager.';

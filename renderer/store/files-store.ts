// The files a device can fetch from the root, and the one selected for the device commands.
import { create } from 'zustand';
import type { RootFile } from '../../shared/ipc-contract';

export interface FilesSlice {
  files: readonly RootFile[];
  /** why the list could not be read (root missing, ...) */
  error: string | null;
  loading: boolean;
  selected: string | null;
}

export const useFilesStore = create<FilesSlice>()(() => ({
  files: [],
  error: null,
  loading: false,
  selected: null,
}));

/** Keeps the selection when the file is still there, else picks the first file. */
export function keepSelection(files: readonly RootFile[], selected: string | null): string | null {
  if (selected !== null && files.some((f) => f.name === selected)) return selected;
  return files[0]?.name ?? null;
}

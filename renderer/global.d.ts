import type { TftpBridge } from '../shared/ipc-contract';

/**
 * What the Electron preload may add beside the contract. Electron no longer sets File.path, so the
 * preload resolves a dropped file's path with webUtils.getPathForFile.
 */
export interface DesktopExtras {
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    tftp?: TftpBridge & DesktopExtras;
  }
}

// First run: serve ~/TFTP, created with a short note so the empty folder explains itself.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_ROOT_NAME = 'TFTP';

const README = `This folder is served by TFTP Desk.

Put firmware images, boot files and configs here; devices ask for them by their
path relative to this folder (for example "pxelinux.0" or "configs/switch1.cfg").
Uploads from devices, when you allow them, land here too.

You can choose another folder at any time in the app.
`;

/** Creates home/TFTP with a README.txt when it does not exist yet; returns its path. */
export function ensureDefaultRoot(home: string): string {
  const root = join(home, DEFAULT_ROOT_NAME);
  if (!existsSync(root)) {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'README.txt'), README, { flag: 'wx' });
  }
  return root;
}

// How a program gets the right to bind a port below 1024 on Linux, worded once for every service
// (TFTP on 69, DHCP on 67/68/4011, syslog on 514): the same program holds the right, so the same
// commands apply, and the same loader caveat for the desktop app.

/** Which program would have to hold the right to bind a low port (the hint names it). */
export interface PortProgram {
  /** the executable: node for `tftp-desk serve`, the app's own binary in the desktop app */
  execPath: string;
  /** running inside the Electron app */
  electron: boolean;
  /** the AppImage file, when the desktop app runs from one ($APPIMAGE) */
  appImage?: string;
}

/** The program running now (main process or plain Node; never called from the renderer). */
export function currentProgram(): PortProgram {
  const appImage = process.env.APPIMAGE;
  return {
    execPath: process.execPath,
    electron: process.versions.electron !== undefined,
    ...(appImage ? { appImage } : {}),
  };
}

/** One shell word: single-quoted, with embedded quotes closed and escaped. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The folder of a Linux path (shared/ runs without node:path). */
function folderOf(file: string): string {
  const cut = file.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? '/' : file.slice(0, cut);
}

export interface PrivilegeWording {
  /** what is refused, as the start of a sentence: "Ports below 1024 need privileges on Linux" */
  need: string;
  /** what granting lets the user do: "serve port 69" */
  purpose: string;
  /** the way round it without privileges, as a clause ("use 6969"); none where there is none */
  alternative?: string;
}

export function linuxPrivilegeHint(program: PortProgram, words: PrivilegeWording): string {
  const { need, purpose, alternative } = words;
  if (program.appImage !== undefined) {
    // an AppImage runs from a read-only, nosuid mount: no file capability can be set or honoured there
    const ways = [alternative, 'run it as root', 'or install the .deb package'].filter(Boolean);
    return `${need}, and an AppImage cannot be given them: ${ways.join(', ')}, where the app can be granted the capability once.`;
  }
  const grant = `sudo setcap cap_net_bind_service=+ep ${shellWord(program.execPath)}`;
  const or = alternative === undefined ? '' : ` Or ${alternative}.`;
  if (program.electron) {
    // A binary holding a capability runs in secure-execution mode, where the loader ignores the
    // $ORIGIN path the app finds its bundled libraries (libffmpeg.so) by: list the folder instead.
    const libraries = `echo ${shellWord(folderOf(program.execPath))} | sudo tee /etc/ld.so.conf.d/tftp-desk.conf && sudo ldconfig`;
    return `${need}. To ${purpose} as yourself, grant the app the capability once: "${grant}", and let it find its libraries again: "${libraries}". Then restart TFTP Desk.${or}`;
  }
  const ways = [
    `grant the capability once with "${grant}" (every script that program runs gets it)`,
    'run as root',
  ];
  return `${need}: ${ways.join(', ')}${alternative === undefined ? '' : `, or ${alternative}`}.`;
}

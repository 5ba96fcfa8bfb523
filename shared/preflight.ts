// The pre-flight check ("can the device reach us?"): what the UI asks for and what each check
// answers, in plain words with the fix for this OS. The checks themselves live in
// electron/app/preflight/; this is only their vocabulary and the known recovery recipes.

export interface PreflightRequest {
  /** the server address the device expects to find (a recovery mode hard-codes it) */
  serverAddress?: string;
  /** the device's own address: checked against the allow-list and the per-client limit */
  deviceAddress?: string;
  /** the interface the device is cabled to (its name, as listed by the interfaces panel) */
  interface?: string;
  /** the UDP port to check; the server's port when absent */
  port?: number;
}

/**
 * ok: nothing in the way. problem: this stops the device. warning: it may. unknown: this check
 * could not run here (a missing command, no rights), and it says why instead of guessing.
 * skipped: not asked for (no address given) or not for this OS.
 */
export type PreflightStatus = 'ok' | 'problem' | 'warning' | 'unknown' | 'skipped';

export type PreflightCheckId = 'address' | 'port-holder' | 'self-request' | 'firewall' | 'allow-list';

export interface PreflightFix {
  /** what to do, in words */
  text: string;
  /** the exact command, when there is one (run it as administrator / root) */
  command?: string;
}

export interface PreflightCheck {
  id: PreflightCheckId;
  title: string;
  status: PreflightStatus;
  /** one or two plain sentences: what was found */
  summary: string;
  /** what was run or read to find it (e.g. "ss -ulpn"), for the curious */
  evidence?: string;
  fix?: PreflightFix;
}

export interface PreflightReport {
  platform: string;
  port: number;
  /** the address the checks used: the one asked for, or the chosen interface's first IPv4 */
  serverAddress?: string;
  checks: PreflightCheck[];
  /** ms since the epoch */
  ranAt: number;
}

/**
 * A recovery mode that hard-codes where it looks for its TFTP server. `pull`: the device fetches
 * from us (this server must hold `serverAddress`). `push`: the device is the TFTP server and we
 * send to it (the "Send to device" tab), so we only need an address on its subnet.
 */
export interface RecoveryRecipe {
  id: string;
  label: string;
  direction: 'pull' | 'push';
  /** the address this machine must have */
  serverAddress: string;
  prefix: number;
  /** the address the device takes in recovery mode */
  deviceAddress: string;
  /** the file name it asks for, when it is fixed */
  fileName?: string;
  /** where the numbers come from, in that source's words */
  source: string;
}

export const RECOVERY_RECIPES: readonly RecoveryRecipe[] = [
  {
    id: 'tp-link',
    label: 'TP-Link router recovery (most models)',
    direction: 'pull',
    serverAddress: '192.168.0.66',
    prefix: 24,
    deviceAddress: '192.168.0.86',
    fileName: '<model>_tp_recovery.bin (the exact name varies per model: the inspector shows it)',
    source:
      'OpenWrt device pages for TP-Link routers: "set your computer to the static IP 192.168.0.66"; the router asks from 192.168.0.86.',
  },
  {
    id: 'mt7622-uboot',
    label: 'Belkin RT3200 / Linksys E8450 U-Boot menu',
    direction: 'pull',
    serverAddress: '192.168.1.254',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source:
      'fcefyn testbed notes (Belkin RT3200 / Linksys E8450): "DUT: ipaddr≈192.168.1.1 - TFTP server: serverip≈192.168.1.254".',
  },
  {
    id: 'linksys-wrt54g',
    label: 'Linksys WRT54G CFE (device is the server: use Send to device)',
    direction: 'push',
    serverAddress: '192.168.1.2',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source: 'OpenWrt WRT54G notes: "The bootloader always sets 192.168.1.1 as the devices IP Address."',
  },
  {
    id: 'netgear',
    label: 'Netgear TFTP recovery (device is the server: use Send to device)',
    direction: 'push',
    serverAddress: '192.168.1.2',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source:
      'OpenWrt TFTP recovery guide: "many Netgear routers run a TFTP server in recovery mode, and you need to upload the firmware to the device using a TFTP client."',
  },
];

export const PREFLIGHT_STATUS_WORDS: Record<PreflightStatus, string> = {
  ok: 'OK',
  problem: 'Problem',
  warning: 'Check',
  unknown: 'Could not check',
  skipped: 'Skipped',
};

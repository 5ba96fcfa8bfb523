// What the per-OS firewall checks share: their input, one finding per thing read, and the one
// result they make of them (the worst finding leads, with its fix; what could not run is named).
import type { PreflightCheck } from '../../../shared/preflight.js';
import { whyNot, type ExecResult } from './exec.js';

export const TITLE = 'Firewall on this machine';

/** Why a probe's output could not be read: the command's own first line, or why it did not run. */
export function brief(r: ExecResult): string {
  if (r.kind !== 'ran') return whyNot(r) as string;
  const line = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return line.slice(0, 160) || `exit ${r.code}`;
}

export interface FirewallInput {
  platform: string;
  port: number;
  interfaceName?: string;
  /** the running program (what a Windows or macOS rule names) */
  program: string;
}

export interface Finding {
  status: 'ok' | 'problem' | 'warning';
  text: string;
  fix?: string;
  command?: string;
}

const ONE_OF: Record<'ok' | 'problem' | 'warning' | 'unknown', number> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  problem: 3,
};

export function combine(findings: Finding[], unknown: string[], evidence: string): PreflightCheck {
  const worst = findings.reduce<'ok' | 'problem' | 'warning' | 'unknown'>(
    (w, f) => (ONE_OF[f.status] > ONE_OF[w] ? f.status : w),
    findings.length === 0 ? 'unknown' : 'ok',
  );
  const lead = findings.find((f) => f.status === worst && f.fix !== undefined);
  const text = [...findings.map((f) => f.text), ...unknown.map((u) => `Not checked: ${u}.`)].join(' ');
  return {
    id: 'firewall',
    title: TITLE,
    status: worst,
    summary: text || 'No firewall could be read here.',
    evidence,
    ...(lead?.fix !== undefined
      ? { fix: { text: lead.fix, ...(lead.command !== undefined ? { command: lead.command } : {}) } }
      : {}),
  };
}

// The pre-flight panel's logic, pure: the form and the request it makes, a recipe filling the
// form, the tone of each result, the one-line verdict, and when to suggest running the check
// (Start failed, or the server has listened for a while and no request has arrived).
import type { ServerState } from '../../shared/events';
import {
  RECOVERY_RECIPES,
  type PreflightCheck,
  type PreflightReport,
  type PreflightRequest,
  type PreflightStatus,
  type RecoveryRecipe,
} from '../../shared/preflight';

export interface PreflightForm {
  recipe: string;
  serverAddress: string;
  deviceAddress: string;
  /** '' = not said */
  iface: string;
  /** '' = the server's port */
  port: string;
}

export const EMPTY_FORM: PreflightForm = {
  recipe: '',
  serverAddress: '',
  deviceAddress: '',
  iface: '',
  port: '',
};

/** How long a listening server may hear nothing before the panel is offered. */
export const QUIET_MS = 60_000;

export function recipeById(id: string): RecoveryRecipe | undefined {
  return RECOVERY_RECIPES.find((r) => r.id === id);
}

/** Picking a recipe fills the addresses (and keeps the interface and port the user chose). */
export function applyRecipe(form: PreflightForm, id: string): PreflightForm {
  const recipe = recipeById(id);
  if (!recipe) return { ...form, recipe: '' };
  return { ...form, recipe: id, serverAddress: recipe.serverAddress, deviceAddress: recipe.deviceAddress };
}

/** The request, or the reason the form cannot make one (the server checks again). */
export function requestFromForm(
  form: PreflightForm,
): { ok: true; request: PreflightRequest } | { ok: false; error: string } {
  const request: PreflightRequest = {};
  const server = form.serverAddress.trim();
  const device = form.deviceAddress.trim();
  if (server !== '') request.serverAddress = server;
  if (device !== '') request.deviceAddress = device;
  if (form.iface !== '') request.interface = form.iface;
  const recipe = recipeById(form.recipe);
  if (recipe && recipe.serverAddress === server) request.prefix = recipe.prefix;
  const port = form.port.trim();
  if (port !== '') {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      return { ok: false, error: 'The port must be a whole number from 1 to 65535.' };
    request.port = Number(port);
  }
  return { ok: true, request };
}

export type Tone = 'ok' | 'error' | 'warn' | 'muted';

export function toneOf(status: PreflightStatus): Tone {
  if (status === 'ok') return 'ok';
  if (status === 'problem') return 'error';
  if (status === 'warning') return 'warn';
  return 'muted';
}

/** "2 problems, 1 to check" / "Nothing in the way found" */
export function verdict(report: PreflightReport): { text: string; tone: Tone } {
  const count = (s: PreflightStatus) => report.checks.filter((c: PreflightCheck) => c.status === s).length;
  const problems = count('problem');
  const warnings = count('warning');
  const parts: string[] = [];
  if (problems > 0) parts.push(`${problems} problem${problems === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} to check`);
  if (parts.length > 0) return { text: `${parts.join(', ')} found`, tone: problems > 0 ? 'error' : 'warn' };
  const unknown = count('unknown');
  return {
    text:
      unknown > 0
        ? `Nothing in the way found; ${unknown} check${unknown === 1 ? '' : 's'} could not run here`
        : 'Nothing in the way found',
    tone: 'ok',
  };
}

export interface QuietWatch {
  /** when the server was last seen to start listening (renderer clock) */
  listeningSince: number | null;
  /** transfers seen (live + history) when it started listening, and now */
  sessionsAtStart: number;
  sessionsNow: number;
}

/** Why to offer the check now, or null. */
export function preflightSuggestion(server: ServerState, watch: QuietWatch, now: number): string | null {
  if (server.state === 'error') return 'The server could not start.';
  if (server.state !== 'listening' || watch.listeningSince === null) return null;
  if (watch.sessionsNow > watch.sessionsAtStart) return null;
  if (now - watch.listeningSince < QUIET_MS) return null;
  const minutes = Math.floor((now - watch.listeningSince) / 60_000);
  return `No request has arrived in the ${minutes === 1 ? 'minute' : `${minutes} minutes`} since the server started.`;
}

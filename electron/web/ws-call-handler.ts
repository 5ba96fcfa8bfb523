// One WebSocket message in, one response out: parse, check the call, run it on the controller.
// Errors come back as a plain message (no stack, no internals).
import type { WebResponse } from '../../shared/web-protocol.js';
import type { AppController } from '../app/controller.js';
import { checkInvoke } from '../app/invoke-args.js';

/**
 * One request's size. Requests are small (settings, names); the one bulky call, exportLog, needs
 * the desktop app's save dialog, so a browser has no reason to send more than this.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const messageOf = (err: unknown): string =>
  err instanceof Error && err.message ? err.message : 'The request failed.';

export async function handleWebMessage(controller: AppController, raw: string): Promise<WebResponse> {
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return { id: -1, ok: false, error: 'The request is not valid JSON.' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return { id: -1, ok: false, error: 'The request must be an object.' };
  }
  const { id, method, args } = msg as { id?: unknown; method?: unknown; args?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { id: -1, ok: false, error: 'The request needs a numeric id.' };
  }
  const call = checkInvoke(method, args);
  if (!call.ok) return { id, ok: false, error: call.error };
  try {
    const fn = controller[call.method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn(...call.args);
    return { id, ok: true, result };
  } catch (err) {
    return { id, ok: false, error: messageOf(err) };
  }
}

// The one-click way out of the most common first-run failure: port 69 refused (no privileges)
// or taken (another TFTP server). A high port needs no privileges on any OS, and 6969 is the
// conventional unprivileged TFTP port, so devices' docs and firewalls often know it already.
import type { ServerState } from '../../shared/events';

export const FALLBACK_PORT = 6969;

/**
 * The port to offer when the server could not open its port, or null when moving to another
 * port would not help (any other error, or no error at all). Already on 6969: offer 6970.
 */
export function portFixFor(server: ServerState, currentPort: number | undefined): number | null {
  if (server.state !== 'error' || currentPort === undefined) return null;
  if (server.code !== 'EACCES' && server.code !== 'EADDRINUSE') return null;
  return currentPort === FALLBACK_PORT ? FALLBACK_PORT + 1 : FALLBACK_PORT;
}

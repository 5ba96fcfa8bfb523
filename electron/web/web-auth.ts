// Who may talk to the browser UI server: a loopback page that knows the token.
// The token comes once in the printed URL and then lives in an HttpOnly cookie; Host and Origin
// checks stop a web page elsewhere from reaching us through DNS rebinding.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_COOKIE } from '../../shared/web-protocol.js';

export function createToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time compare; hashing first makes the lengths equal. */
export function tokensEqual(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length === token.length;
}

export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

export function hasValidCookie(header: string | undefined, token: string): boolean {
  return cookieValues(header, TOKEN_COOKIE).some((v) => tokensEqual(v, token));
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The Host header values a page on this server can legitimately send. */
export function allowedHosts(port: number, boundHost: string): string[] {
  const names = ['127.0.0.1', 'localhost', '::1', boundHost];
  return [...new Set(names.map((n) => `${hostPart(n)}:${port}`.toLowerCase()))];
}

export function isAllowedHost(header: string | undefined, allowed: readonly string[]): boolean {
  return typeof header === 'string' && allowed.includes(header.toLowerCase());
}

/** No Origin (a plain navigation) is fine; a present Origin must be one of ours. */
export function isAllowedOrigin(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true;
  return allowed.some((h) => header.toLowerCase() === `http://${h}`);
}

export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://${host}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

import { describe, expect, it } from 'vitest';
import { TOKEN_COOKIE } from '../../shared/web-protocol.js';
import {
  allowedHosts,
  contentSecurityPolicy,
  cookieValues,
  createToken,
  hasValidCookie,
  isAllowedHost,
  isAllowedOrigin,
  tokenCookie,
  tokensEqual,
} from '../../electron/web/web-auth.js';
import { contentTypeFor } from '../../electron/web/static-files.js';
import { isLoopbackHost } from '../../electron/web/ui-server.js';

describe('web auth', () => {
  it('makes 32-byte hex tokens and compares them exactly', () => {
    const t = createToken();
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(createToken()).not.toBe(t);
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(t.slice(0, 63), t)).toBe(false);
    expect(tokensEqual(t + '0', t)).toBe(false);
    expect(tokensEqual(t.toUpperCase(), t)).toBe(false);
    expect(tokensEqual('', t)).toBe(false);
    expect(tokensEqual(undefined, t)).toBe(false);
    expect(tokensEqual(null, t)).toBe(false);
  });

  it('reads the token cookie among others', () => {
    const t = createToken();
    expect(cookieValues(`a=1; ${TOKEN_COOKIE}=x; ${TOKEN_COOKIE}=${t}`, TOKEN_COOKIE)).toEqual(['x', t]);
    expect(hasValidCookie(`a=1; ${TOKEN_COOKIE}=${t}`, t)).toBe(true);
    expect(hasValidCookie(`${TOKEN_COOKIE}x=${t}`, t)).toBe(false);
    expect(hasValidCookie(undefined, t)).toBe(false);
    expect(tokenCookie(t)).toBe(`${TOKEN_COOKIE}=${t}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('allows only loopback names with our port as Host and Origin', () => {
    const allowed = allowedHosts(4321, '127.0.0.1');
    expect(allowed).toEqual(['127.0.0.1:4321', 'localhost:4321', '[::1]:4321']);
    for (const ok of ['127.0.0.1:4321', 'LOCALHOST:4321', '[::1]:4321'])
      expect(isAllowedHost(ok, allowed)).toBe(true);
    for (const bad of [
      undefined,
      '',
      '127.0.0.1',
      '127.0.0.1:4322',
      'evil.example:4321',
      'localhost.evil:4321',
      '0.0.0.0:4321',
    ]) {
      expect(isAllowedHost(bad, allowed)).toBe(false);
    }
    expect(isAllowedOrigin(undefined, allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:4321', allowed)).toBe(true);
    for (const bad of [
      'null',
      'http://evil.example',
      'https://127.0.0.1:4321',
      'http://127.0.0.1:4321.evil',
      'file://',
    ]) {
      expect(isAllowedOrigin(bad, allowed)).toBe(false);
    }
    expect(allowedHosts(80, '127.0.0.2')).toContain('127.0.0.2:80');
  });

  it('writes the CSP with the websocket address of the page', () => {
    const csp = contentSecurityPolicy('localhost:4321');
    expect(csp).toContain("connect-src 'self' ws://localhost:4321");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('serves known types and only loopback', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('x.exe')).toBe('application/octet-stream');
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.1', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
  });
});

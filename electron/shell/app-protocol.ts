// The renderer's own origin: app://tftp-desk/ serves the built renderer (dist/) instead of file://.
// A real origin gives the page same-origin ES modules and a CSP header, and lets the packaged app
// keep the grantFileProtocolExtraPrivileges fuse off. resolveAppUrl is the one place that maps a
// URL to a file: pure string work, so every hostile shape is unit-tested without Electron.
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { knownContentType, MIME_TYPES } from '../app/mime-types.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'tftp-desk';
export const APP_INDEX_URL = 'app://tftp-desk/index.html';

/** Sent with every app:// response; the page repeats it (less frame-ancestors) in a meta tag. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export type AppResolution = { path: string; mime: string } | { status: 404 | 403 };

const FORBIDDEN = { status: 403 } as const;
const NOT_FOUND = { status: 404 } as const;
/** `..`, `.` and their percent-encoded spellings, as they appear in the raw URL. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
/** Backslashes and NULs, raw or encoded, never belong in a renderer asset URL. */
const RAW_BAD = /[\\\0]|%00|%5c/i;
/** Names Windows maps to devices or other files; refused everywhere so the rule is one rule. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$|[. ]$/i;

/** True when `url` has the same app: scheme, host and (empty) credentials as `appUrl`. */
export function isSameAppOrigin(url: unknown, appUrl: string): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return (
    app.protocol === `${APP_SCHEME}:` &&
    u.protocol === app.protocol &&
    // app: is not special to the URL parser, so `host` keeps any port given: it must match whole
    u.host === app.host &&
    u.host !== '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** True for URLs on the app origin (app://tftp-desk, no port, no credentials). */
export function isAppUrl(url: unknown): boolean {
  return isSameAppOrigin(url, APP_INDEX_URL);
}

/** The raw path of an absolute URL (between the authority and `?`/`#`), before any normalisation. */
function rawPath(url: string): string {
  const afterScheme = url.slice(url.indexOf(':') + 1).replace(/^\/\//, '');
  const slash = afterScheme.indexOf('/');
  return slash < 0 ? '' : afterScheme.slice(slash).split(/[?#]/, 1)[0]!;
}

/**
 * app://tftp-desk/<path> -> the file inside distDir to serve, or the status to answer with.
 * Extensionless paths (client-side routes) get index.html; paths with an extension must name a
 * file of a known type. Whether that file exists is the caller's to find out (404).
 */
export function resolveAppUrl(distDir: string, url: string): AppResolution {
  if (!isAbsolute(distDir) || !isAppUrl(url) || RAW_BAD.test(url)) return FORBIDDEN;
  // new URL() folds `..` away; look at what was actually asked for
  if (
    rawPath(url)
      .split('/')
      .some((s) => DOT_SEGMENT.test(s))
  )
    return FORBIDDEN;

  const encoded = new URL(url).pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const [i, seg] of encoded.entries()) {
    const last = i === encoded.length - 1;
    if (seg === '') {
      if (last) break; // a trailing slash: a directory-style route
      return FORBIDDEN; // `//etc/passwd`: an absolute path smuggled into ours
    }
    let name: string;
    try {
      name = decodeURIComponent(seg);
    } catch {
      return FORBIDDEN;
    }
    // control characters, separators or a drive colon after decoding; dot names; device names
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f/\\:]/.test(name) || name === '.' || name === '..') return FORBIDDEN;
    if (WINDOWS_RESERVED.test(name)) return FORBIDDEN;
    segments.push(name);
  }

  const leaf = segments.at(-1);
  if (leaf === undefined || extname(leaf) === '') {
    return { path: join(distDir, 'index.html'), mime: MIME_TYPES['.html'] as string };
  }
  const mime = knownContentType(leaf);
  if (mime === undefined) return NOT_FOUND;
  const path = join(distDir, ...segments);
  const rel = relative(distDir, path);
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return FORBIDDEN;
  return { path, mime };
}

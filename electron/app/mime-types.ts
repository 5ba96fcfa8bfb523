// The content types of what a vite build emits: the renderer served to the desktop window
// (app://) and to a browser (tftp-desk serve --ui). Anything else in dist/ is not part of the page.
import { extname } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The type of a known file, or undefined. */
export function knownContentType(path: string): string | undefined {
  return MIME_TYPES[extname(path).toLowerCase()];
}

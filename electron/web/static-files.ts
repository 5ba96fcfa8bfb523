// Serves the built renderer (dist/) read-only. Only files under the static folder, by their
// real path, with a fixed content type; anything odd is a 404, never a directory listing.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, relative, isAbsolute, sep } from 'node:path';
import { knownContentType } from '../app/mime-types.js';

export function contentTypeFor(path: string): string {
  return knownContentType(path) ?? 'application/octet-stream';
}

/** URL path -> file path inside dir, or null. `/` is index.html. */
export async function resolveStatic(dir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  if (parts.length === 0) parts.push('index.html');
  try {
    const base = await realpath(dir);
    const full = await realpath(join(base, ...parts));
    const rel = relative(base, full);
    if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return null;
    const st = await stat(full);
    return st.isFile() ? full : null;
  } catch {
    return null;
  }
}

export async function sendStatic(
  res: ServerResponse,
  dir: string,
  urlPath: string,
  headOnly: boolean,
  headers: Record<string, string>,
): Promise<void> {
  const file = await resolveStatic(dir, urlPath);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return;
  }
  const st = await stat(file);
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(st.size),
    // hashed assets may be cached; the page itself must always come fresh (new token, new build)
    'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
  });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

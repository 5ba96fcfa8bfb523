// `--map FILE`: reads a name mapping rule file (syntax in electron/tftp/name-map.ts and the README)
// and gives the engine its rules, or a message naming every bad line, so a typo stops the server
// before it listens instead of silently serving the wrong file.
import { readFile } from 'node:fs/promises';
import type { NameMapRule } from '../../shared/settings.js';
import { parseNameMap } from '../tftp/index.js';

/** Larger than any sensible rule file (500 rules of a line each); refuses a wrong path to a huge file. */
const MAX_MAP_FILE_BYTES = 1024 * 1024;

export async function readNameMapFile(
  path: string,
): Promise<{ ok: true; rules: NameMapRule[] } | { ok: false; message: string }> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_MAP_FILE_BYTES) return { ok: false, message: `--map ${path}: larger than 1 MiB` };
    text = buf.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (code ?? 'unreadable');
    return { ok: false, message: `--map ${path}: ${why}` };
  }
  const parsed = parseNameMap(text);
  if (parsed.ok) return parsed;
  const lines = parsed.errors.map((e) => `  line ${e.line}: ${e.message}`);
  return {
    ok: false,
    message: `--map ${path}: ${parsed.errors.length} bad rule${parsed.errors.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
  };
}

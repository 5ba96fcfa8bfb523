// Shared by the renderer and the engine (the inspector's log lines): one escaping everywhere.
// Names and messages come from the network: a filename a client asked for can hold ANSI escapes,
// newlines, NULs or bidi overrides that would make a log line lie about what happened. React already
// renders text as text (never as HTML); this makes the invisible characters visible as well.

// C0 controls, DEL, C1 controls, and the Unicode format characters that reorder or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes control and direction-changing characters; caps the length so one line cannot flood a view. */
export function displayText(text: string, maxLength = 1024): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return clipped.replace(UNSAFE, escapeChar);
}

// RFC 5424 section 6.3: STRUCTURED-DATA. Pure, never throws.
//
//   STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT
//   SD-ELEMENT      = "[" SD-ID *(SP SD-PARAM) "]"
//   SD-PARAM        = PARAM-NAME "=" %d34 PARAM-VALUE %d34
//   SD-NAME         = 1*32PRINTUSASCII ; except '=', SP, ']', %d34 (")
//
// Section 6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with '\'; a '\' before any
// other character is kept as it is, both characters. An unescaped ']' inside the quotes is
// accepted (the quotes already delimit the value; some senders forget the escape).

export interface SdParam {
  name: string;
  /** unescaped */
  value: string;
}

export interface SdElement {
  id: string;
  params: SdParam[];
}

export interface ScannedStructuredData {
  elements: SdElement[];
  /** index just past the last ']' */
  end: number;
}

const isNameChar = (c: number) => c >= 33 && c <= 126 && c !== 61 && c !== 93 && c !== 34; // = ] "

function scanName(text: string, i: number): number {
  let j = i;
  while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
  return j;
}

/** Reads a quoted value starting at the opening quote; returns it and the index past the closing quote. */
function scanValue(text: string, i: number): { value: string; end: number } | undefined {
  if (text[i] !== '"') return undefined;
  let value = '';
  let j = i + 1;
  while (j < text.length) {
    const c = text[j] as string;
    if (c === '"') return { value, end: j + 1 };
    if (c === '\\' && j + 1 < text.length) {
      const next = text[j + 1] as string;
      value += next === '"' || next === '\\' || next === ']' ? next : c + next;
      j += 2;
      continue;
    }
    value += c;
    j++;
  }
  return undefined;
}

function scanElement(text: string, i: number): { element: SdElement; end: number } | undefined {
  if (text[i] !== '[') return undefined;
  const idEnd = scanName(text, i + 1);
  if (idEnd === i + 1) return undefined;
  const element: SdElement = { id: text.slice(i + 1, idEnd), params: [] };
  let j = idEnd;
  while (text[j] === ' ') {
    const nameEnd = scanName(text, j + 1);
    if (nameEnd === j + 1 || text[nameEnd] !== '=') return undefined;
    const v = scanValue(text, nameEnd + 1);
    if (!v) return undefined;
    element.params.push({ name: text.slice(j + 1, nameEnd), value: v.value });
    j = v.end;
  }
  if (text[j] !== ']') return undefined;
  return { element, end: j + 1 };
}

/** Scans one or more SD-ELEMENTs from `start`; undefined when there is not at least one valid one. */
export function scanStructuredData(text: string, start = 0): ScannedStructuredData | undefined {
  const elements: SdElement[] = [];
  let i = start;
  for (;;) {
    const e = scanElement(text, i);
    if (!e) break;
    elements.push(e.element);
    i = e.end;
  }
  return elements.length > 0 ? { elements, end: i } : undefined;
}

/** The elements of a STRUCTURED-DATA string as a message carries it; [] for none or a malformed one. */
export function parseStructuredData(sd: string): SdElement[] {
  const scanned = scanStructuredData(sd);
  return scanned && scanned.end === sd.length ? scanned.elements : [];
}

/** PARAM-VALUE escaping (section 6.3.3), for senders and tests. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

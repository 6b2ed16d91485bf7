/**
 * Looking for a hire's personal data where it must not be: in a history dumped without the key,
 * as text or base64, and in what each payload holds.
 */

/**
 * Base64 forms in which `needle` can show inside a longer base64 string: the encoding depends on
 * where the needle starts modulo 3, so each of the three alignments, cut to the characters that
 * depend on the needle alone.
 */
export function base64Forms(needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters whose 6 bits all come from the needle: not those that mix in the bytes
    // before it, nor the last one that mixes in what follows.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    return encoded.slice(start, Math.max(start, end));
  });
}

/** Where each needle occurs in `text`, as itself (any case, JSON-escaped too) or in base64. */
export function findPersonalData(text: string, needles: Record<string, string>): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const [what, needle] of Object.entries(needles)) {
    const asJson = JSON.stringify(needle).slice(1, -1);
    const asciiJson = asJson.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const form of new Set([needle, asJson, asciiJson])) if (lower.includes(form.toLowerCase())) found.push(`${what} as text`);
    for (const form of base64Forms(needle)) if (form.length >= 8 && text.includes(form)) found.push(`${what} in base64 (${form})`);
  }
  return found;
}

export interface FoundPayload {
  /** Where it sits, e.g. `events.0.workflowExecutionStartedEventAttributes.input.payloads.0`. */
  path: string;
  encoding: string;
  /** Its data as text (ciphertext reads as noise). */
  text: string;
}

/** Every payload (`{metadata, data}` in proto JSON) of a history or response, in order. */
export function payloadsOf(json: unknown): FoundPayload[] {
  const out: FoundPayload[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}.${i}`));
    if (!node || typeof node !== 'object') return;
    const { metadata, data } = node as { metadata?: Record<string, unknown>; data?: unknown };
    if (metadata && typeof metadata === 'object' && typeof metadata.encoding === 'string') {
      const text = Buffer.from(typeof data === 'string' ? data : '', 'base64').toString('utf8');
      out.push({ path: path.slice(1), encoding: Buffer.from(metadata.encoding, 'base64').toString('utf8'), text });
      return;
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${path}.${key}`);
  };
  visit(json, '');
  return out;
}

/** Search attributes are never encrypted (the server indexes them): they hold states and vendor names. */
export const isSearchAttribute = (p: FoundPayload) => /searchAttributes/i.test(p.path);

/**
 * A local activity's marker carries, beside its result (encrypted like every payload), a `data`
 * payload that sdk-core writes itself in plain JSON: the activity's id, type, attempt and times.
 * No codec ever sees it, so it is told apart here by what it holds, and nothing else passes.
 */
const CORE_MARKER_FIELDS = new Set(['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time']);
export const isLocalActivityMarkerData = (p: FoundPayload): boolean => {
  if (!/markerRecordedEventAttributes\.details\.data\.payloads\.0$/.test(p.path)) return false;
  try {
    const fields = Object.keys(JSON.parse(p.text) as object);
    return fields.length > 0 && fields.every((field) => CORE_MARKER_FIELDS.has(field));
  } catch {
    return false;
  }
};

/** Payloads a codec could have encrypted: all but search attributes and sdk-core's marker data. */
export const isCodecPayload = (p: FoundPayload): boolean => !isSearchAttribute(p) && !isLocalActivityMarkerData(p);

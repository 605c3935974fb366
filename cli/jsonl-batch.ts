/** Where reading a JSON Lines file stands: the byte offset of the next line, and lines read. */
export interface FilePosition {
  /** Byte offset of the first line not yet read. */
  readonly offset: number;
  /** How many lines lie before `offset` (the next line's number is `line + 1`). */
  readonly line: number;
}

/** One line to send: its 1-based number in the file and its JSON text, as written. */
export interface JsonLine {
  readonly line: number;
  readonly text: string;
}

/** A line that cannot be sent (not JSON, or too large for any delivery), reported like a rejection. */
export interface UnsendableLine {
  readonly line: number;
  readonly error: string;
}

export interface JsonlBatch {
  readonly start: FilePosition;
  /** Where the next batch starts: after the last line this one read. */
  readonly end: FilePosition;
  readonly items: readonly JsonLine[];
  readonly unsendable: readonly UnsendableLine[];
}

export interface BatchLimits {
  /** Items per delivery (SPEC §2: at most 1,000). */
  readonly maxItems: number;
  /** Bytes of a whole delivery body (SPEC §2: at most 1 MiB). */
  readonly maxBodyBytes: number;
  /** The envelope's key: `events` (telemetry) or `activities` (community). */
  readonly key: string;
}

const newline = 0x0a;

/**
 * The next batch of a JSON Lines file from `start`: as many lines as fit `limits`, each kept as
 * written (the API validates the items and reports each refusal by index; `reportedAt` stays
 * exactly as sent, SPEC §2). Blank lines are skipped; a line that is not JSON, or alone larger
 * than a delivery, is unsendable. With `until`, the batch ends there (a resumed batch is rebuilt
 * exactly as it was first sent). `undefined` at the end of the file.
 */
export function nextBatch(
  bytes: Buffer,
  start: FilePosition,
  limits: BatchLimits,
  until?: number,
): JsonlBatch | undefined {
  const stop = Math.min(until ?? bytes.length, bytes.length);
  if (start.offset >= stop) return undefined;
  const items: JsonLine[] = [];
  const unsendable: UnsendableLine[] = [];
  let bodyBytes = envelopeBytes(limits.key);
  let position = start;
  while (position.offset < stop && items.length < limits.maxItems) {
    const lineEnd = bytes.indexOf(newline, position.offset);
    const next = {
      offset: lineEnd < 0 || lineEnd >= stop ? stop : lineEnd + 1,
      line: position.line + 1,
    };
    const text = lineText(bytes, position.offset, next.offset);
    if (text !== '') {
      const checked = checkLine(text, limits);
      if (checked) unsendable.push({ line: next.line, error: checked });
      else {
        const size = Buffer.byteLength(text) + (items.length > 0 ? 1 : 0);
        // A full batch ends before this line; the line starts the next one.
        if (bodyBytes + size > limits.maxBodyBytes) break;
        bodyBytes += size;
        items.push({ line: next.line, text });
      }
    }
    position = next;
  }
  return { start, end: position, items, unsendable };
}

/** The body of a delivery: `{"events":[<line>,<line>]}` with each line's JSON as written. */
export function deliveryBody(key: string, items: readonly JsonLine[]): string {
  return `{${JSON.stringify(key)}:[${items.map((item) => item.text).join(',')}]}`;
}

const envelopeBytes = (key: string) => Buffer.byteLength(deliveryBody(key, []));

function lineText(bytes: Buffer, from: number, to: number): string {
  let text = bytes.subarray(from, to).toString('utf8');
  if (from === 0 && text.startsWith('\uFEFF')) text = text.slice(1);
  return text.trim();
}

/** Why a line cannot go into any delivery, or `undefined` when it can. */
function checkLine(text: string, limits: BatchLimits): string | undefined {
  try {
    JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const size = Buffer.byteLength(text);
  if (envelopeBytes(limits.key) + size > limits.maxBodyBytes) {
    return `${size} bytes: too large for a delivery of at most ${limits.maxBodyBytes} bytes`;
  }
  return undefined;
}

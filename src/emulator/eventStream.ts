import * as zlib from 'node:zlib';

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function tableCrc32(bytes: Uint8Array, start = 0): number {
  let c = ~start;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** IEEE CRC32 (zlib's), native where Node has it (≥ 20.15). */
const crc32: (bytes: Uint8Array, start?: number) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as unknown as { crc32: (b: Uint8Array, s?: number) => number }).crc32 : tableCrc32;

function encodeHeaders(headers: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(7, 1 + n.length);
    head.writeUInt16BE(v.length, 2 + n.length);
    parts.push(head, v);
  }
  return Buffer.concat(parts);
}

function frame(headers: Buffer, payload: Buffer): Buffer {
  const total = 16 + headers.length + payload.length;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headers.copy(out, 12);
  payload.copy(out, 12 + headers.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

const eventHeaders = new Map<string, Buffer>();
const exceptionHeaders = new Map<string, Buffer>();

/**
 * One AWS event-stream message (`application/vnd.amazon.eventstream`) of
 * `:message-type event`: prelude, string headers, JSON payload and both CRCs,
 * byte-identical to `@smithy/eventstream-codec`'s `EventStreamCodec.encode`.
 *
 * @example
 * ```ts
 * res.write(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }));
 * ```
 */
export function eventFrame(eventType: string, payload: unknown): Buffer {
  let headers = eventHeaders.get(eventType);
  if (!headers) {
    headers = encodeHeaders({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' });
    eventHeaders.set(eventType, headers);
  }
  return frame(headers, Buffer.from(JSON.stringify(payload), 'utf8'));
}

/** An in-stream exception message: `:message-type exception`, `:exception-type` in lowerCamel (`throttlingException`). */
export function exceptionFrame(exceptionType: string, payload: unknown): Buffer {
  let headers = exceptionHeaders.get(exceptionType);
  if (!headers) {
    headers = encodeHeaders({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' });
    exceptionHeaders.set(exceptionType, headers);
  }
  return frame(headers, Buffer.from(JSON.stringify(payload), 'utf8'));
}

/** An InvokeModelWithResponseStream `chunk` event: `{bytes: base64(model-native JSON)}`, with padding `p` when given. */
export function chunkFrame(modelEvent: unknown, p?: string): Buffer {
  const bytes = Buffer.from(typeof modelEvent === 'string' ? modelEvent : JSON.stringify(modelEvent), 'utf8').toString('base64');
  return eventFrame('chunk', p === undefined ? { bytes } : { bytes, p });
}

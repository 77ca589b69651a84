import { describe, it, expect } from 'vitest';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { chunkFrame, eventFrame, exceptionFrame } from '../../src/emulator/eventStream.js';

const utf8 = new TextDecoder();
const codec = new EventStreamCodec((b) => utf8.decode(b), (s) => new TextEncoder().encode(s));
const str = (value: string) => ({ type: 'string' as const, value });

describe('eventFrame', () => {
  it('is byte-identical to @smithy/eventstream-codec', () => {
    const payload = { contentBlockIndex: 0, delta: { text: 'Hello' }, p: 'abcd' };
    const expected = codec.encode({
      headers: { ':event-type': str('contentBlockDelta'), ':content-type': str('application/json'), ':message-type': str('event') },
      body: new TextEncoder().encode(JSON.stringify(payload)),
    });
    const frame = eventFrame('contentBlockDelta', payload);
    expect(Buffer.from(frame).equals(Buffer.from(expected))).toBe(true);
    expect(frame.length).toBe(162);
    expect(frame.readUInt32BE(8)).toBe(0x9acad7c8);
  });

  it('encodes exceptions and chunks that decode with CRCs checked', () => {
    const ex = codec.decode(exceptionFrame('throttlingException', { message: 'slow down' }));
    expect(ex.headers[':message-type']!.value).toBe('exception');
    expect(ex.headers[':exception-type']!.value).toBe('throttlingException');
    expect(JSON.parse(utf8.decode(ex.body))).toEqual({ message: 'slow down' });
    const chunk = codec.decode(chunkFrame({ type: 'message_stop' }, 'xy'));
    const payload = JSON.parse(utf8.decode(chunk.body)) as { bytes: string; p: string };
    expect(JSON.parse(Buffer.from(payload.bytes, 'base64').toString())).toEqual({ type: 'message_stop' });
    expect(payload.p).toBe('xy');
  });

  it('handles multi-byte text', () => {
    const m = codec.decode(eventFrame('contentBlockDelta', { delta: { text: 'héllo — 日本' } }));
    expect(JSON.parse(utf8.decode(m.body))).toEqual({ delta: { text: 'héllo — 日本' } });
  });
});

import { describe, it, expect } from 'vitest';
import * as net from 'node:net';
import * as http2 from 'node:http2';
import { listenDual } from '../../src/emulator/dualServer.js';

const handler = (_req: unknown, res: { writeHead(s: number, h: Record<string, string>): void; end(b: string): void }) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

describe('listenDual', () => {
  it('serves HTTP/2 cleartext and HTTP/1.1 on one port', async () => {
    const server = await listenDual(handler as never, '127.0.0.1', 0);
    try {
      const h1 = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(await h1.text()).toBe('ok');
      const session = http2.connect(`http://127.0.0.1:${server.port}`);
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':path': '/' });
        let got = '';
        stream.on('data', (d) => (got += d));
        stream.on('end', () => resolve(got));
        stream.on('error', reject);
      });
      session.close();
      expect(body).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('waits for a preface that arrives in pieces', async () => {
    const server = await listenDual(handler as never, '127.0.0.1', 0);
    try {
      const socket = net.connect(server.port, '127.0.0.1');
      const first = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write('PR');
      await new Promise((r) => setTimeout(r, 20));
      socket.write(Buffer.concat([Buffer.from('I * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));
      const frame = await first;
      expect(frame[3]).toBe(4);
      socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('close() drops idle keep-alive connections', async () => {
    const server = await listenDual(handler as never, '127.0.0.1', 0);
    const socket = net.connect(server.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    await server.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AnyRequest, AnyResponse } from './httpReply.js';

/** A listening port that serves HTTP/2 cleartext (prior knowledge) and HTTP/1.1 with one handler. */
export interface DualServer {
  readonly port: number;
  close(): Promise<void>;
}

const ignore = (): void => {};
const SNIFF_TIMEOUT_MS = 30_000;

/**
 * Listens on `host:port` and routes each connection by its first bytes: the
 * HTTP/2 preface (`PRI * HTTP/2.0`) goes to an `http2` server, anything else to an
 * `http` server (wire reference §1.2), so the AWS SDK's default HTTP/2 handler
 * and HTTP/1.1 clients share the port. Every socket, session and stream has an
 * error handler, so a misbehaving client never takes the process down.
 */
export function listenDual(handler: (req: AnyRequest, res: AnyResponse) => void, host: string, port: number): Promise<DualServer> {
  // The error listeners go on inside the one request listener: a second `request` listener would make every emit copy the listener list.
  const h1 = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    req.on('error', ignore);
    res.on('error', ignore);
    handler(req, res);
  });
  const h2 = http2.createServer({}, (req, res) => {
    req.on('error', ignore);
    res.on('error', ignore);
    handler(req, res);
  });
  h1.on('clientError', (_error: Error, socket: net.Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  h2.on('sessionError', ignore);
  h2.on('session', (session) => session.on('error', ignore));
  h2.on('stream', (stream) => stream.on('error', ignore));

  const sockets = new Set<net.Socket>();
  const sniff = (socket: net.Socket, prefix?: Buffer): void => {
    socket.once('readable', () => {
      const chunk = socket.read() as Buffer | null;
      if (!chunk) return void socket.destroy();
      const head = prefix ? Buffer.concat([prefix, chunk]) : chunk;
      if (head.length < 3 && 'PRI'.startsWith(head.toString('latin1'))) return sniff(socket, head);
      socket.setTimeout(0);
      socket.unshift(head);
      (head.toString('latin1', 0, 3) === 'PRI' ? h2 : h1).emit('connection', socket);
    });
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', ignore);
    socket.once('close', () => sockets.delete(socket));
    socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
    sniff(socket);
  });
  server.on('error', ignore);

  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
            h1.close();
            h2.close();
          }),
      });
    });
  });
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSnapshot } from './metricsSnapshot.js';
import { checkPrefix, toPrometheus } from './toPrometheus.js';

/** Options of {@link serveMetrics}. */
export interface ServeMetricsConfig {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** Called on every scrape for the current metrics. */
  readonly snapshot: () => MetricsSnapshot;
  /** Metric name prefix. Default `rx_bedrock`. */
  readonly prefix?: string;
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The scrape URL, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * A tiny HTTP server answering `GET /metrics` with {@link toPrometheus} of a
 * fresh snapshot (an edge adapter, so Promises and `node:http` live here).
 * Other paths get 404, other methods 405.
 *
 * @example
 * ```ts
 * const collector = createMetrics(bus.events$);
 * const server = await serveMetrics({ port: 9464, snapshot: collector.snapshot });
 * ```
 *
 * @param config port, host, snapshot source and prefix
 * @returns the server once it listens
 */
export async function serveMetrics(config: ServeMetricsConfig): Promise<MetricsServer> {
  const { port, host = '127.0.0.1', snapshot, prefix = 'rx_bedrock' } = config;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`serveMetrics: port must be an integer in [0, 65535], got ${String(port)}`);
  if (typeof snapshot !== 'function') throw new TypeError('serveMetrics: snapshot must be a function returning a MetricsSnapshot');
  checkPrefix(prefix, 'serveMetrics');
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    try {
      const body = toPrometheus(snapshot(), { prefix });
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}/metrics`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

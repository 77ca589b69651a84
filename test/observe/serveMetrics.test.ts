import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics, toPrometheus, type MetricsServer } from '../../src/observe/index.js';
import { SNAPSHOT } from './snapshotFixture.js';

describe('serveMetrics', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the current snapshot at /metrics on 127.0.0.1 in the Prometheus text format', async () => {
    let scrapes = 0;
    server = await serveMetrics({ port: 0, snapshot: () => (scrapes++, SNAPSHOT), prefix: 'svc' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe(toPrometheus(SNAPSHOT, { prefix: 'svc' }));
    expect(scrapes).toBe(1);
  });

  it('answers 404 elsewhere, 405 for other methods and 500 when the snapshot fails', async () => {
    let fail = false;
    server = await serveMetrics({
      port: 0,
      snapshot: () => {
        if (fail) throw new Error('no state');
        return SNAPSHOT;
      },
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    fail = true;
    const broken = await fetch(server.url);
    expect(broken.status).toBe(500);
    expect(await broken.text()).toBe('metrics failed: no state\n');
  });

  it('checks options before listening', async () => {
    await expect(serveMetrics({ port: -1, snapshot: () => SNAPSHOT })).rejects.toThrow(/port/);
    await expect(serveMetrics({ port: 0, snapshot: () => SNAPSHOT, prefix: '1x' })).rejects.toThrow(/prefix/);
  });
});

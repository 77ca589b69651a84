import { describe, it, expect, vi } from 'vitest';
import * as http from 'node:http';
import { startEmulator } from '../../src/emulator/startEmulator.js';

function post(port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serverClock', () => {
  it('keeps the emulator on real time when a test fakes the timers', async () => {
    const emulator = await startEmulator({ models: { 'amazon.nova-lite-v1:0': { latency: { kind: 'fixed', ms: 30 }, accuracy: 1 } } });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const r = await post(emulator.port, '/model/amazon.nova-lite-v1%3A0/converse', JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'What is 5 * 5?' }] }] }));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).output.message.content[0].text).toBe('25');
      expect(JSON.parse(r.body).metrics.latencyMs).toBeGreaterThanOrEqual(25);
    } finally {
      vi.useRealTimers();
      await emulator.close();
    }
  });
});

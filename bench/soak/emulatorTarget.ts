import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorStats, type ModelProfilePatch } from '../../src/emulator/index.js';

/** The emulator the soak runs against, in this process or in a child process, driven the same way. */
export interface EmulatorTarget {
  readonly endpoint: string;
  readonly mode: 'inline' | 'process';
  setProfile(modelId: string, patch: ModelProfilePatch): Promise<void>;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

/** One HTTP call to the control API on a socket of its own (no keep-alive left behind). */
function control(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(new URL(path, endpoint), { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Starts the emulator in this process. */
export async function inlineEmulator(seed: number): Promise<EmulatorTarget> {
  const emulator = await startEmulator({ seed });
  return {
    endpoint: emulator.endpoint,
    mode: 'inline',
    setProfile: async (id, patch) => emulator.setProfile(id, patch),
    stats: async () => emulator.stats(),
    close: () => emulator.close(),
  };
}

/** Starts the emulator as a child process and drives it over its HTTP control API. */
export async function processEmulator(seed: number): Promise<EmulatorTarget> {
  const script = fileURLToPath(new URL('./emulatorProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(seed)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const lines = createInterface({ input: child.stdout });
  const [endpoint] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error('the emulator process exited before printing its endpoint'); })])) as [string];
  lines.close();
  child.stdout.resume();
  return {
    endpoint,
    mode: 'process',
    setProfile: async (id, patch) => void (await control(endpoint, 'PUT', `/_emulator/models/${encodeURIComponent(id)}`, patch)),
    stats: async () => (await control(endpoint, 'GET', '/_emulator/stats')) as EmulatorStats,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'close');
      child.stdin.end();
      await exited;
    },
  };
}

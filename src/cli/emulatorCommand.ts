import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.js';
import { EXIT, UsageError } from './usage.js';

/**
 * `rx-bedrock emulator`: serves the Bedrock Runtime emulator in the foreground
 * until SIGINT/SIGTERM, printing its endpoint on the first line.
 */
export async function emulatorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, models: { type: 'string' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected an integer from 0 to 65535, got "${values.port}"`);
  let models: Record<string, never> | undefined;
  if (values.models !== undefined) {
    try {
      models = JSON.parse(await readFile(values.models, 'utf8'));
    } catch (error) {
      throw new UsageError(`--models: cannot read ${values.models}: ${(error as Error).message}`);
    }
  }
  const emulator = await startEmulator({ port, host: values.host, ...(models ? { models } : {}) });
  process.stdout.write(`${emulator.endpoint}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return EXIT.ok;
}

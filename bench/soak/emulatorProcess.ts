/**
 * The soak's emulator in a process of its own (so its CPU is not the
 * client's): prints its endpoint on the first line and stops on SIGTERM,
 * SIGINT or when its stdin closes (the soak process ended).
 *
 *   node --import tsx bench/soak/emulatorProcess.ts [seed]
 */
import { startEmulator } from '../../src/emulator/index.js';

const emulator = await startEmulator({ seed: Number(process.argv[2] ?? 1) });
process.stdout.write(`${emulator.endpoint}\n`);
let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  process.stdin.destroy();
  void emulator.close();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop).on('close', stop).resume();

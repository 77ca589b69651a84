// Runs every example as its own process (`node --import tsx examples/X.ts`), one
// after another, and prints a line per example with its status and time. An
// example fails when it exits non-zero (its own sanity check) or does not exit
// by itself within the time limit (a dangling handle). Exits 1 if any failed.
// `npm run examples`; pass names to run only those (`npm run examples -- router`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LIMIT_MS = 60_000;
const root = fileURLToPath(new URL('..', import.meta.url));
// Every examples/*.ts but this one, so a new example is run without being listed here.
const EXAMPLES = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'runAll.ts')
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

interface Run {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly output: string;
  readonly ms: number;
}

function run(name: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    cwd: root,
    // The SDK warns on every start that releases after January 2027 need Node 22; the lock pins one that supports 20.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, LIMIT_MS);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output, ms: performance.now() - started });
    });
  });
}

const chosen = process.argv.length > 2 ? process.argv.slice(2) : EXAMPLES;
const unknown = chosen.filter((name) => !EXAMPLES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown example(s): ${unknown.join(', ')} (known: ${EXAMPLES.join(', ')})`);
  process.exit(2);
}

let failed = 0;
for (const name of chosen) {
  const result = await run(name);
  const ok = result.code === 0 && !result.timedOut;
  const status = ok ? 'ok' : result.timedOut ? `FAIL (still running after ${LIMIT_MS / 1000} s)` : `FAIL (exit ${result.code})`;
  console.log(`${`${name}.ts`.padEnd(18)} ${(result.ms / 1000).toFixed(1).padStart(5)} s  ${status}`);
  if (!ok) {
    failed++;
    console.log(result.output.trimEnd().replace(/^/gm, '    | '));
  }
}
console.log(failed === 0 ? `all ${chosen.length} examples passed` : `${failed} of ${chosen.length} examples failed`);
process.exitCode = failed === 0 ? 0 : 1;

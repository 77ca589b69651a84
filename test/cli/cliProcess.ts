import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the real `bin/rx-bedrock.js` runs from here (it imports `dist/`). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a CLI child process ended, with everything it printed. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `rx-bedrock` child process. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** What it has printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr (or stdout) matches `pattern`, with the match. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  readonly exited: Promise<CliResult>;
}

/** Dummy credentials: the CLI signs requests to the emulator like it would to AWS. */
const ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Starts `node bin/rx-bedrock.js ...args` as a real child process. A child that
 * outlives `timeoutMs` (default: within vitest's 30 s test timeout) is killed,
 * and its result says so by its signal.
 */
export function startCli(args: readonly string[], timeoutMs = 25_000): CliProcess {
  const child = spawn(process.execPath, ['bin/rx-bedrock.js', ...args], { cwd: ROOT, env: { ...process.env, ...ENV } });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const l of listeners) l();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitFor = (pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr') =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = (stream === 'stdout' ? stdout : stderr).match(pattern);
        if (match) {
          listeners.delete(check);
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          reject(new Error(`rx-bedrock ended before printing ${String(pattern)}:\n${stderr}`));
        }
      };
      listeners.add(check);
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

/** Runs `rx-bedrock ...args` to its end, optionally feeding `stdin`. */
export function runCli(args: readonly string[], stdin?: string, timeoutMs?: number): Promise<CliResult> {
  const cli = startCli(args, timeoutMs);
  cli.child.stdin.end(stdin ?? '');
  return cli.exited;
}

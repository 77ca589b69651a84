/**
 * Pull-based pool vs a naive `mergeMap` over a fast synchronous source:
 * 200,000 requests through concurrency 64 on an in-memory model that answers
 * after one microtask. Modes: `pull` (orchestrateFrom(array)), `operator`
 * (from(array) through orchestrate's O(1) queue), `naive` (from(array) through
 * mergeMap(…, 64)), and the same from a generator that builds each request
 * when read (`gen-pull`, `gen-naive`), which is where laziness saves memory.
 * Each mode runs in its own process; `retained` is the heap after a forced GC
 * half-way through (what the pipeline holds), `peak` the largest heap seen.
 *
 *   npm run bench -- pull                                      # all modes
 *   node --expose-gc --import tsx bench/scenarios/pull.ts gen-pull   # one mode
 *   PULL_N=50000 PROMPT_BYTES=1024 npm run bench -- pull
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defer, from, map, mergeMap, of, type Observable } from 'rxjs';
import { assistantMessage, orchestrate, orchestrateFrom, type InferenceRequest, type InferenceResponse, type Model } from 'rx-bedrock';
import { load, type Scenario } from '../harness.js';

const N = Number(process.env.PULL_N ?? 100_000);
const CONCURRENCY = 64;
const PROMPT_BYTES = Number(process.env.PROMPT_BYTES ?? 16);
const MODES = ['pull', 'operator', 'naive', 'gen-pull', 'gen-naive'] as const;
type Mode = (typeof MODES)[number];

function response(request: InferenceRequest): InferenceResponse {
  return {
    requestId: request.id,
    modelId: 'memory',
    text: 'ok',
    message: assistantMessage('ok'),
    stopReason: 'end_turn',
    usage: { inputTokens: 1, outputTokens: 1 },
    latencyMs: 0,
    attempts: [],
  };
}

const model: Model = (requests$) => requests$.pipe(mergeMap((request) => defer(() => Promise.resolve()).pipe(map(() => response(request)))));

/** Requests with distinct flat prompts (a template literal over one padding string would share it). */
function* requests(): Generator<InferenceRequest> {
  for (let i = 0; i < N; i++) {
    const prompt = Buffer.alloc(PROMPT_BYTES, 'x');
    prompt.write(`${i} `);
    yield { id: `r${i}`, messages: [{ role: 'user', content: [{ text: prompt.toString('latin1') }] }] };
  }
}

function source(mode: Mode): Iterable<InferenceRequest> {
  return mode.startsWith('gen-') ? requests() : [...requests()];
}

function run(mode: Mode): void {
  const input = source(mode);
  const outcomes$: Observable<unknown> =
    mode === 'pull' || mode === 'gen-pull'
      ? orchestrateFrom(input, model, CONCURRENCY)
      : mode === 'operator'
        ? from(input).pipe(orchestrate(model, { concurrency: CONCURRENCY, maxQueue: Infinity }))
        : from(input).pipe(mergeMap((request) => of(request).pipe(model), CONCURRENCY));
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const started = performance.now();
  let count = 0;
  let retained = 0;
  outcomes$.subscribe({
    next: () => {
      if (count++ % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (count === N / 2) {
        globalThis.gc?.();
        retained = process.memoryUsage().heapUsed;
      }
    },
    complete: () => {
      const seconds = (performance.now() - started) / 1000;
      const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
      console.log(
        `${mode.padEnd(8)} ${count} outcomes in ${seconds.toFixed(2)} s = ${Math.round(count / seconds).toLocaleString('en')}/s, ` +
          `heap before ${mb(heapBefore)} MB, retained half-way ${mb(retained)} MB, peak ${mb(peak)} MB`,
      );
    },
  });
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] === self) {
  const mode = process.argv[2] as Mode;
  if (!MODES.includes(mode)) throw new TypeError(`mode must be one of ${MODES.join(', ')}`);
  run(mode);
}

export const pull: Scenario = {
  name: 'pull',
  title: 'Pull-based pool (orchestrateFrom) vs a naive mergeMap over a fast synchronous source: throughput and heap',
  async run() {
    const lines = [`${N.toLocaleString('en')} requests, concurrency ${CONCURRENCY}, ~${PROMPT_BYTES}-byte prompts; one process per mode, one run each (a comparison of memory shapes, not a timing target). Load average: ${load()}.`, '', '```text'];
    for (const m of MODES) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', self, m], { env: process.env });
      lines.push(stdout.trimEnd());
    }
    return { lines: [...lines, '```'] };
  },
};

/**
 * Time to first token with and without `hedgeFirstToken`, over real HTTP
 * against the emulator, on a model whose first token is slow for a fraction
 * of the calls (`firstTokenMs: { kind: 'tail', baseMs, tailMs, p }`). Each mode
 * gets a fresh emulator with the same seed; TTFT is measured from subscription
 * to the first delta; extra calls come from the emulator's own counters, as do
 * the losers' cancellations and the output tokens billed.
 *
 *   npm run bench -- hedgeFirstToken
 *   HFT_N=2000 P=0.1 BASE_MS=100 TAIL_MS=1500 AFTER=250 MAX=3 CONCURRENCY=8 npm run bench -- hedgeFirstToken
 */
import { performance } from 'node:perf_hooks';
import { defer, from, lastValueFrom, mergeMap, of, tap, toArray } from 'rxjs';
import { createBedrock, hedgeFirstToken, toRequest, type StreamingModel } from 'rx-bedrock';
import { startEmulator } from 'rx-bedrock/emulator';
import { load, type Scenario } from '../harness.js';

const N = Number(process.env.HFT_N ?? 400);
const P = Number(process.env.P ?? 0.1);
const BASE_MS = Number(process.env.BASE_MS ?? 100);
const TAIL_MS = Number(process.env.TAIL_MS ?? 1500);
const AFTER = Number(process.env.AFTER ?? 250);
const MAX = Number(process.env.MAX ?? 2);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const SEED = Number(process.env.SEED ?? 7);
const MODEL = 'tail-ttft';

interface Result {
  readonly mode: string;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly calls: number;
  readonly cancelled: number;
  readonly outputTokens: number;
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function measure(mode: 'plain' | 'hedged'): Promise<Result> {
  const emulator = await startEmulator({
    port: 0,
    seed: SEED,
    models: {
      [MODEL]: { latency: { kind: 'fixed', ms: 0 }, firstTokenMs: { kind: 'tail', baseMs: BASE_MS, tailMs: TAIL_MS, p: P }, tokensPerSecond: 1000, outputTokens: 8 },
    },
  });
  try {
    const bedrock = createBedrock({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    const base = bedrock.streamingModel(MODEL);
    const model: StreamingModel = mode === 'plain' ? base : hedgeFirstToken(base, { after: AFTER, max: MAX });
    const ttfts = await lastValueFrom(
      from(Array.from({ length: N }, (_v, i) => toRequest({ id: `r${i}`, prompt: `Tell me about item ${i}` }))).pipe(
        mergeMap(
          (request) =>
            defer(() => {
              const start = performance.now();
              let ttft = Number.NaN;
              return of(request).pipe(
                model,
                tap((e) => {
                  if (e.type === 'delta' && Number.isNaN(ttft)) ttft = performance.now() - start;
                }),
                toArray(),
                mergeMap(() => of(ttft)),
              );
            }),
          CONCURRENCY,
        ),
        toArray(),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, TAIL_MS + 100)); // let aborted losers settle in the counters
    const stats = emulator.stats().models[MODEL]!;
    const sorted = [...ttfts].sort((a, b) => a - b);
    return { mode, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1)!, calls: stats.calls, cancelled: stats.cancelled, outputTokens: stats.outputTokens };
  } finally {
    await emulator.close();
  }
}

export const hedgeFirstTokenScenario: Scenario = {
  name: 'hedgeFirstToken',
  title: 'Time to first token with and without hedgeFirstToken over HTTP',
  async run() {
    const plain = await measure('plain');
    const hedged = await measure('hedged');
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    return {
      lines: [
        `hedgeFirstToken: N=${N}, first token ${BASE_MS} ms, ${(P * 100).toFixed(0)}% of calls ${TAIL_MS} ms; after=${AFTER} ms, max=${MAX}, concurrency ${CONCURRENCY}, seed ${SEED}; in-process emulator; one run (not a target). Load average: ${load()}.`,
        '',
        '| mode | TTFT p50 | TTFT p99 | TTFT max | calls | extra calls | cancelled | output tokens billed |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
        ...[plain, hedged].map(
          (r) => `| ${r.mode} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.calls} | ${(((r.calls - N) / N) * 100).toFixed(1)}% | ${r.cancelled} | ${r.outputTokens} |`,
        ),
        '',
        `p99 improvement: ${(plain.p99 / hedged.p99).toFixed(1)}x; output tokens billed beyond the plain run (losers): ${hedged.outputTokens - plain.outputTokens}`,
      ],
    };
  },
};

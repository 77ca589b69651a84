/**
 * `memory`: 1,000,000 requests through `orchestrateFrom` (a lazy generator of
 * requests, so the source holds nothing) at concurrency 256 on the in-memory
 * model, with events and metrics on (request and attempt events into
 * `createMetrics`). The heap after a forced full GC (`--expose-gc`) at 100k
 * and at 1M must be within 10 MB: memory is flat in the number of requests.
 */
import { lastValueFrom, tap } from 'rxjs';
import { createEventBus, createMetrics, orchestrateFrom, type InferenceRequest } from 'rx-bedrock';
import { gc, load, measure, num, RUNS, showSummary, summarize, table, verdict, type Scenario } from '../harness.js';
import { inMemoryModel } from '../inMemoryModel.js';

const N = Number(process.env.MEMORY_N ?? 1_000_000);
const EARLY = Math.floor(N / 10);
const RUNS_HERE = Number(process.env.MEMORY_RUNS ?? RUNS);

function* requests(): Generator<InferenceRequest> {
  for (let i = 0; i < N; i++) yield { id: `m${i}`, messages: [{ role: 'user', content: [{ text: `question ${i}` }] }] };
}

const MB = 1024 * 1024;

export const memory: Scenario = {
  name: 'memory',
  title: '1M requests through orchestrateFrom at concurrency 256: heap after GC at 100k vs 1M, requests/s',
  async run() {
    if (!(globalThis as { gc?: unknown }).gc) return { lines: ['skipped: run with `node --expose-gc` (npm run bench does)'] };
    const at100k: number[] = [];
    const at1m: number[] = [];
    const growth: number[] = [];
    const rps: number[] = [];
    for (let run = 0; run < RUNS_HERE; run++) {
      const bus = createEventBus();
      const metrics = createMetrics(bus.events$);
      const model = inMemoryModel('memory', bus);
      let count = 0;
      let early = 0;
      gc();
      const { ms } = await measure(() =>
        lastValueFrom(
          orchestrateFrom(requests(), model, { concurrency: 256, events: bus, strategy: 'memory' }).pipe(
            tap(() => {
              if (++count === EARLY) {
                gc();
                early = process.memoryUsage().heapUsed;
              }
            }),
          ),
        ),
      );
      gc();
      const late = process.memoryUsage().heapUsed; // the pipeline is done, but the metrics collector still holds its state
      metrics.stop();
      at100k.push(early / MB);
      at1m.push(late / MB);
      growth.push((late - early) / MB);
      rps.push(N / (ms / 1000));
    }
    const mb = (x: number) => `${num(x, 1)} MB`;
    const g = summarize(growth);
    return {
      lines: [
        `${RUNS_HERE} runs of ${N.toLocaleString('en')} requests; heap measured (after two forced full GCs) when the ${EARLY.toLocaleString('en')}th outcome arrives (256 requests in flight) and after the last, before the metrics collector is stopped. Load average after: ${load()}.`,
        '',
        ...table(
          ['measure', 'min / median / max'],
          [
            [`heap after GC at ${EARLY.toLocaleString('en')}`, showSummary(summarize(at100k), mb)],
            [`heap after GC at ${N.toLocaleString('en')}`, showSummary(summarize(at1m), mb)],
            ['growth (same run)', showSummary(g, mb)],
            ['requests/s', showSummary(summarize(rps), (x) => num(x, 0))],
          ],
        ),
        '',
        ...table(['target', 'measured (max over runs)', 'verdict'], [['heap at 1M within 10 MB of heap at 100k', mb(g.max), verdict(Math.abs(g.max) <= 10 && Math.abs(g.min) <= 10)]]),
      ],
    };
  },
};

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { isRight } from 'fp-ts/lib/Either.js';
import { mergeMap, of, Subject } from 'rxjs';
import { collect, createBedrock } from '../../src/bedrock/index.js';
import { createEventBus } from '../../src/core/events.js';
import type { Model } from '../../src/core/model.js';
import type { InferenceRequest } from '../../src/core/request.js';
import type { EmulatorStats } from '../../src/emulator/index.js';
import { createMetrics } from '../../src/observe/createMetrics.js';
import { orchestrate } from '../../src/stream/orchestrate.js';
import { fallback } from '../../src/strategies/fallback.js';
import { withCircuitBreaker } from '../../src/strategies/withCircuitBreaker.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { streamFallback } from '../../src/streaming/streamFallback.js';
import { withStallTimeout } from '../../src/streaming/withStallTimeout.js';
import type { EmulatorTarget } from './emulatorTarget.js';
import { BASE, SOAK_MODELS, SOAK_PHASES, type SoakRole } from './phases.js';

/** What a soak run measured. */
export interface SoakReport {
  /** Requests run: `requested`, or fewer when the time limit stopped the run early. */
  readonly requests: number;
  readonly requested: number;
  /** True when the time limit was reached and no more requests were started. */
  readonly truncated: boolean;
  readonly concurrency: number;
  readonly emulator: 'inline' | 'process';
  readonly durationMs: number;
  readonly ok: number;
  readonly failed: number;
  readonly successRate: number;
  readonly failuresByKind: Record<string, number>;
  /** The first failure of each kind: its message and attempts, to see why. */
  readonly failureSamples: Record<string, string>;
  /** Requests with no outcome, with more than one, and outcomes whose id matched no request. */
  readonly outcomes: { readonly exactlyOnce: number; readonly lost: number; readonly duplicated: number; readonly unknownIds: number };
  readonly phases: readonly { readonly name: string; readonly ok: number; readonly failed: number }[];
  /** Heap used after a full GC, in MB, at every 5% of the run (the first after warm-up). */
  readonly heapMb: readonly number[];
  /** From `createMetrics` over the run's events: the strategy's requests and successes, and events by type. */
  readonly metrics: { readonly requests: number; readonly successes: number; readonly events: Readonly<Record<string, number>> };
  readonly emulatorTotals: Pick<EmulatorStats['totals'], 'calls' | 'successes' | 'errors' | 'resets' | 'malformed' | 'cancelled' | 'peakConcurrency' | 'inFlight'>;
  readonly profileErrors: readonly string[];
  /** Circuit changes counted by phase, breaker and new state, e.g. `{ "1:a→open": 12 }`. */
  readonly circuits: Readonly<Record<string, number>>;
}

/** Options of {@link runSoak}. */
export interface SoakConfig {
  readonly requests: number;
  readonly concurrency: number;
  readonly target: EmulatorTarget;
  /** Every n-th request goes through the streaming chain (ConverseStream). Default 10. */
  readonly streamEvery?: number;
  /** Start no new request after this long (those in flight finish). Default: no limit. */
  readonly maxDurationMs?: number;
  /** Called at every 5% with the requests finished so far. */
  readonly onProgress?: (done: number) => void;
}

const fullGc = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return gc ?? (() => {});
})();

const heapMb = (): number => {
  fullGc();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
};

const idOf = (i: number): string => `soak-${i}`;
const indexOf = (id: string | undefined): number => (id !== undefined && /^soak-\d+$/.test(id) ? Number(id.slice(5)) : -1);

/** The chain under test, unary and streaming, over one Bedrock client. */
export function soakModel(endpoint: string) {
  const events = createEventBus();
  const bedrock = createBedrock({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'soak', secretAccessKey: 'soak' }, events });
  const breaker = { failureRate: { rate: 0.7, window: 50, minCalls: 20 }, openForMs: 250, events };
  const unary = fallback(
    withRetry(withCircuitBreaker(bedrock.model(SOAK_MODELS.a), { ...breaker, key: 'a' }), { count: 2, backoff: { initialMs: 2, maxMs: 20 }, events }),
    withCircuitBreaker(bedrock.model(SOAK_MODELS.b), { ...breaker, key: 'b' }),
    bedrock.model(SOAK_MODELS.c),
  );
  // Generous, so a busy machine's slow event loop is not taken for a stall; the emulator's stalls last 6 s.
  const stalls = { firstTokenMs: 10_000, betweenTokensMs: 3_000, events };
  const streamed = collect(
    streamFallback(
      [SOAK_MODELS.a, SOAK_MODELS.b, SOAK_MODELS.c].map((id) => withStallTimeout(bedrock.streamingModel(id), stalls)),
      { policy: 'restart', events },
    ),
  );
  const model: Model = (requests) => requests.pipe(mergeMap((r: InferenceRequest) => of(r).pipe(r.task === 'stream' ? streamed : unary)));
  return { model, bedrock, events };
}

/**
 * Runs `requests` requests through `orchestrate(fallback(withRetry(withCircuitBreaker(a)), withCircuitBreaker(b), c))`
 * (every `streamEvery`-th through a streaming fallback instead) at `concurrency`, while the
 * emulator's profiles change by {@link SOAK_PHASES}. Requests are pushed into `orchestrate`
 * as outcomes come back (at most twice the concurrency waiting), so its queue stays short.
 * Closes its client before it returns; the caller closes the emulator.
 */
export async function runSoak(config: SoakConfig): Promise<SoakReport> {
  const { requests: total, concurrency, target } = config;
  const streamEvery = config.streamEvery ?? 10;
  const profileErrors: string[] = [];
  const roles = Object.keys(SOAK_MODELS) as SoakRole[];
  const applyPhase = (index: number): Promise<void> =>
    Promise.all(
      roles.map((role) =>
        target.setProfile(SOAK_MODELS[role], { ...BASE, ...SOAK_PHASES[index]!.profiles[role] }).catch((e: Error) => void profileErrors.push(e.message)),
      ),
    ).then(() => undefined);
  await applyPhase(0);

  const { model, bedrock, events } = soakModel(target.endpoint);
  const collector = createMetrics(events.events$);
  const counts = new Uint8Array(total);
  const phases = SOAK_PHASES.map((p) => ({ name: p.name, ok: 0, failed: 0 }));
  const failuresByKind: Record<string, number> = {};
  const failureSamples: Record<string, string> = {};
  const heap: number[] = [];
  const pendingProfiles: Promise<void>[] = [];
  const circuits: Record<string, number> = {};
  const watching = events.events$.subscribe((e) => {
    if (e.type === 'circuit-state') circuits[`${phase}:${e.key}→${e.to}`] = (circuits[`${phase}:${e.key}→${e.to}`] ?? 0) + 1;
  });
  let phase = 0;
  let pushed = 0;
  let done = 0;
  let ok = 0;
  let unknownIds = 0;
  const step = Math.max(1, Math.floor(total / 20));
  const requests$ = new Subject<InferenceRequest | { id: string; prompt: string; task?: string }>();
  const started = performance.now();
  const deadline = started + (config.maxDurationMs ?? Infinity);
  let truncated = false;
  let ended = false;
  const end = (): void => {
    ended = true;
    requests$.complete();
  };
  const push = (): void => {
    if (ended) return;
    if (performance.now() > deadline) {
      truncated = true;
      return end();
    }
    const i = pushed++;
    requests$.next({ id: idOf(i), prompt: `Tell me about item ${i}`, ...(i % streamEvery === 0 ? { task: 'stream' } : {}) });
    if (pushed === total) end();
  };

  await new Promise<void>((resolve, reject) => {
    requests$.pipe(orchestrate(model, { concurrency, deadlineMs: 30_000, events, strategy: 'soak' })).subscribe({
      next: (outcome) => {
        const index = indexOf(isRight(outcome) ? outcome.right.requestId : outcome.left.requestId);
        if (index < 0 || index >= total) unknownIds++;
        else counts[index] = Math.min(255, counts[index]! + 1);
        done++;
        if (isRight(outcome)) {
          ok++;
          phases[phase]!.ok++;
        } else {
          phases[phase]!.failed++;
          const { kind, message, attempts } = outcome.left;
          failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
          failureSamples[kind] ??= `${message} ${JSON.stringify(attempts?.map((a) => [a.modelId, a.errorKind, a.latencyMs]) ?? [])}`;
        }
        const next = SOAK_PHASES.findLastIndex((p) => done >= p.from * total);
        if (next !== phase) {
          phase = next;
          pendingProfiles.push(applyPhase(next));
        }
        if (done % step === 0) {
          if (done / step >= 2) heap.push(heapMb());
          config.onProgress?.(done);
        }
        push();
      },
      error: reject,
      complete: resolve,
    });
    for (let i = 0; i < Math.min(total, concurrency * 2); i++) push();
  });
  const durationMs = Math.round(performance.now() - started);
  await Promise.all(pendingProfiles);
  const snapshot = collector.snapshot();
  collector.stop();
  watching.unsubscribe();
  bedrock.client.destroy();
  const { calls, successes, errors, resets, malformed, cancelled, peakConcurrency, inFlight } = (await target.stats()).totals;

  let exactlyOnce = 0;
  let lost = 0;
  let duplicated = 0;
  for (const n of counts.subarray(0, pushed)) {
    if (n === 1) exactlyOnce++;
    else if (n === 0) lost++;
    else duplicated++;
  }
  return {
    requests: pushed,
    requested: total,
    truncated,
    concurrency,
    emulator: target.mode,
    durationMs,
    ok,
    failed: done - ok,
    successRate: pushed === 0 ? 1 : ok / pushed,
    failuresByKind,
    failureSamples,
    outcomes: { exactlyOnce, lost, duplicated, unknownIds },
    phases,
    heapMb: heap,
    metrics: {
      requests: snapshot.total.byStrategy.soak?.requests ?? 0,
      successes: snapshot.total.byStrategy.soak?.successes ?? 0,
      events: snapshot.total.events as Record<string, number>,
    },
    emulatorTotals: { calls, successes, errors, resets, malformed, cancelled, peakConcurrency, inFlight },
    profileErrors,
    circuits,
  };
}

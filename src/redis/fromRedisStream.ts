import { defer, finalize, firstValueFrom, from, map, merge, Observable, Subject, take, timer } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { NO_EVENTS } from '../core/events.js';
import { entryFields, entryRequest, type RedisDelivery } from './redisDelivery.js';
import { redisScripts } from './redisScripts.js';
import { resolveRedisStreamConfig, type RedisStreamConfig } from './redisStreamConfig.js';
import { resultLine } from './resultLine.js';

type Entry = [id: string, fields: string[] | null];

/** The entries of a one-stream `XREADGROUP` reply: `[[key, entries]]` (RESP2) or `[key, entries]` (a flattened map), or none. */
function readEntries(reply: unknown): readonly Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return (Array.isArray(reply[0]) ? (reply[0] as [string, Entry[]])[1] : (reply as [string, Entry[]])[1]) ?? [];
}

/**
 * Reads requests from a Redis stream as one consumer of a consumer group and
 * emits a {@link RedisDelivery} per entry. At-least-once: an entry leaves the
 * group's pending list only when its result is stored (`ack`). Reading pauses
 * while `maxInFlight` deliveries are unsettled (backpressure); entries another
 * worker left pending longer than `visibilityTimeoutMs` are claimed
 * (`XAUTOCLAIM`), while this worker's own unsettled entries are kept alive
 * (`XCLAIM … JUSTID`) so they are not taken over. Entries whose request id
 * already has a stored result are acknowledged without being emitted.
 * Redis errors never end the stream: reading pauses `retryDelayMs` and goes
 * on (a `store-degraded` event marks each outage). Unsubscribing stops
 * reading at once; deliveries already emitted can still be acknowledged.
 *
 * ```text
 * stream:      e1 e2 e3 ............ (e4 left pending by a dead worker)
 * deliveries:  d1 d2 d3 ---- d4      (d4 after visibilityTimeoutMs, reclaimed: true)
 * ack(d1):     HSETNX results id1 … ; XACK stream group e1   (one script)
 * ```
 *
 * @example
 * ```ts
 * fromRedisStream({ redis, stream: 'requests', group: 'workers', consumer: hostname() })
 *   .pipe(mergeMap((d) => of(d.request).pipe(orchestrate(model, 1), mergeMap((o) => d.ack(o))), 16))
 *   .subscribe();
 * ```
 */
export function fromRedisStream(config: RedisStreamConfig): Observable<RedisDelivery> {
  const c = resolveRedisStreamConfig(config);
  const scheduler = schedulerOf(config);
  const events = config.events ?? NO_EVENTS;
  const scripts = redisScripts(c.redis);
  const keepAliveMs = Math.max(1, Math.floor(c.visibilityTimeoutMs / 3));
  const reclaimEveryMs = Math.max(1, Math.floor(c.visibilityTimeoutMs / 2));
  // A read never blocks past the next keep-alive, so entries in flight stay claimed.
  const blockMs = Math.min(c.blockMs, keepAliveMs);

  return new Observable<RedisDelivery>((subscriber) => {
    const reader = c.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 0, commandTimeout: c.blockMs + 2_000, lazyConnect: false });
    reader.on('error', () => undefined);
    const inFlight = new Set<string>();
    const freed$ = new Subject<void>();
    let stopped = false;

    const settle = (entryId: string) => {
      if (inFlight.delete(entryId)) freed$.next();
    };
    const deliver = (entryId: string, requestId: string, request: unknown, reclaimed: boolean) => {
      inFlight.add(entryId);
      subscriber.next({
        entryId,
        requestId,
        request,
        reclaimed,
        ack: (outcome) =>
          defer(() => from(scripts.storeResult(c.results, c.stream, c.group, entryId, requestId, resultLine(requestId, outcome)))).pipe(
            map((stored) => Number(stored) === 1),
            finalize(() => settle(entryId)),
          ),
        release: () => settle(entryId),
      });
    };
    /** Emits the entries not yet done; acknowledges at once those whose request already has a result. */
    const emit = async (entries: readonly Entry[], reclaimed: boolean) => {
      const live = entries.filter(([id, fields]) => fields !== null && !inFlight.has(id));
      if (live.length === 0) return;
      const parsed = live.map(([entryId, fields]) => ({ entryId, ...entryRequest(entryId, entryFields(fields)) }));
      const done = (await reader.hmget(c.results, ...parsed.map((p) => p.requestId))) as (string | null)[];
      const finished = parsed.filter((_p, i) => done[i] !== null).map((p) => p.entryId);
      if (finished.length > 0) await reader.xack(c.stream, c.group, ...finished);
      parsed.forEach((p, i) => {
        if (done[i] === null && !stopped) deliver(p.entryId, p.requestId, p.request, reclaimed);
      });
    };

    const loop = async () => {
      let groupReady = false;
      let failing = false;
      let cursor = '0-0';
      let nextReclaim = scheduler.now();
      let nextKeepAlive = scheduler.now() + keepAliveMs;
      while (!stopped) {
        try {
          if (!groupReady) {
            await reader.xgroup('CREATE', c.stream, c.group, '0', 'MKSTREAM').catch((error: Error) => {
              if (!error.message.includes('BUSYGROUP')) throw error;
            });
            groupReady = true;
          }
          const now = scheduler.now();
          if (now >= nextKeepAlive) {
            nextKeepAlive = now + keepAliveMs;
            if (inFlight.size > 0) await reader.xclaim(c.stream, c.group, c.consumer, 0, ...inFlight, 'JUSTID');
          }
          const room = c.maxInFlight - inFlight.size;
          if (room <= 0) {
            await firstValueFrom(merge(freed$, timer(keepAliveMs, scheduler)).pipe(take(1)));
            continue;
          }
          if (now >= nextReclaim) {
            const [next, claimed] = (await reader.call('XAUTOCLAIM', c.stream, c.group, c.consumer, c.visibilityTimeoutMs, cursor, 'COUNT', room)) as [string, Entry[]];
            cursor = next;
            if (next === '0-0') nextReclaim = now + reclaimEveryMs;
            await emit(claimed, true);
            failing = false;
            if (claimed.length > 0) continue;
          }
          const read = await reader.call('XREADGROUP', 'GROUP', c.group, c.consumer, 'COUNT', room, 'BLOCK', blockMs, 'STREAMS', c.stream, '>');
          failing = false;
          await emit(readEntries(read), false);
        } catch (error) {
          if (stopped) break;
          if (!failing) {
            failing = true;
            const message = `redis stream ${c.stream} read failed: ${error instanceof Error ? error.message : String(error)}`;
            events.emit({ type: 'store-degraded', time: scheduler.now(), requestId: '', store: 'redis-stream', mode: 'fail-closed', message });
          }
          if (error instanceof Error && error.message.includes('NOGROUP')) groupReady = false;
          await firstValueFrom(timer(c.retryDelayMs, scheduler));
        }
      }
    };
    loop().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      freed$.next();
      freed$.complete();
      reader.disconnect();
    };
  });
}

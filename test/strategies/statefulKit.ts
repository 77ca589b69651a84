import { map, mergeMap, of, timer, type Observable } from 'rxjs';
import type { Store } from '../../src/state/store.js';
import { createEventBus, type EventBus, type RuntimeEvent } from '../../src/core/events.js';
import type { Model } from '../../src/core/model.js';
import { toRequest, type InferenceRequest } from '../../src/core/request.js';
import type { InferenceResponse } from '../../src/core/response.js';

/** A request with a fixed id (and a prompt, so cache keys differ by prompt only). */
export function req(id: string, prompt = 'hello', extra: Partial<InferenceRequest> = {}): InferenceRequest {
  return { ...toRequest({ id, prompt }), ...extra };
}

/** The request sent through `model` at virtual time `t` (its own stream, so one failure does not end another's). */
export function at(t: number, model: Model, request: InferenceRequest): Observable<InferenceResponse> {
  return timer(t).pipe(mergeMap(() => of(request).pipe(model)));
}

/** A bus and the events it carried, of the given types (all when none given). */
export function recordedBus(...types: RuntimeEvent['type'][]): { bus: EventBus; seen: RuntimeEvent[] } {
  const bus = createEventBus();
  const seen: RuntimeEvent[] = [];
  bus.events$.subscribe((e) => {
    if (types.length === 0 || types.includes(e.type)) seen.push(e);
  });
  return { bus, seen };
}

/** A store answering every operation `delayMs` later on the scheduler, as a networked store would (an Observable per reply). */
export function delayedStore(store: Store, delayMs: number): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
        return timer(delayMs).pipe(map(() => answer));
      };
    },
  });
}

import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The scheduler a component takes its time from: the one given, or
 * `asyncScheduler` (which `TestScheduler.run` virtualises).
 */
export function schedulerOf(options?: { readonly scheduler?: SchedulerLike }): SchedulerLike {
  return options?.scheduler ?? asyncScheduler;
}

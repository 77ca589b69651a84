import { catchError, defaultIfEmpty, defer, from, isObservable, mergeMap, of, take, throwError, type Observable } from 'rxjs';
import { lookupModel, DEFAULT_CATALOG, type Catalog } from '../bedrock/catalog.js';
import { ModelError, toModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import { estimateInputTokens, hasImage, type InferenceRequest } from '../core/request.js';
import { callModel, modelFromCall } from '../core/modelCall.js';
import { modelIdOf } from './internal/trail.js';

/** Picks a route name for a request; `undefined` or an unknown name means the default route. */
export type Classifier = (
  request: InferenceRequest,
) => string | undefined | Observable<string | undefined> | PromiseLike<string | undefined>;

/** A route: a model, and what it can take (else looked up in the catalog by `modelId`). */
export interface RouteTarget {
  readonly model: Model;
  /** Catalog id for capability lookup; default the model's own `modelId`. */
  readonly modelId?: string;
  readonly supportsImages?: boolean;
  /** Largest prompt in tokens (estimated at 4 characters a token). */
  readonly contextWindow?: number;
}

/** Options of {@link route}. */
export interface RouteConfig {
  readonly classify: Classifier;
  readonly routes: Readonly<Record<string, Model | RouteTarget>>;
  /** The route (a key of `routes`) for unknown or missing classifications. */
  readonly default: string;
  /** Check images and context windows, moving to the next capable route in declaration order. */
  readonly capabilities?: boolean;
  /** Where capabilities of routes without explicit ones are looked up; default the built-in catalog. */
  readonly catalog?: Catalog;
}

interface Resolved {
  readonly name: string;
  readonly model: Model;
  readonly supportsImages?: boolean;
  readonly contextWindow?: number;
}

function resolve(name: string, target: Model | RouteTarget, catalog: Catalog): Resolved {
  const t: RouteTarget = typeof target === 'function' ? { model: target } : target;
  if (typeof t?.model !== 'function') throw new TypeError(`route: routes.${name} must be a Model or { model }`);
  if (t.contextWindow !== undefined && (!Number.isInteger(t.contextWindow) || t.contextWindow < 1)) {
    throw new TypeError(`route: routes.${name}.contextWindow must be a positive integer, got ${String(t.contextWindow)}`);
  }
  const id = t.modelId ?? modelIdOf(t.model, '');
  const entry = id === '' ? undefined : lookupModel(catalog, id);
  const supportsImages = t.supportsImages ?? entry?.capabilities.images;
  const contextWindow = t.contextWindow ?? entry?.contextWindow;
  return {
    name,
    model: t.model,
    ...(supportsImages === undefined ? {} : { supportsImages }),
    ...(contextWindow === undefined ? {} : { contextWindow }),
  };
}

/** Why `target` cannot take `request`, or `undefined` when it can. */
function unfit(target: Resolved, request: InferenceRequest): string | undefined {
  if (target.supportsImages === false && hasImage(request)) return `${target.name}: text only, the request has an image`;
  const tokens = estimateInputTokens(request);
  if (target.contextWindow !== undefined && tokens > target.contextWindow) {
    return `${target.name}: ~${tokens} tokens exceed its context window of ${target.contextWindow}`;
  }
  return undefined;
}

/**
 * Sends each request to one of several models, chosen by `classify` (e.g.
 * {@link keywordClassifier} or {@link modelClassifier}). With
 * `capabilities: true`, a request with an image never goes to a text-only
 * route and a prompt too long for a route's context window moves on to the
 * next capable route (in declaration order); capabilities come from the route
 * or the catalog.
 *
 * Emits the chosen model's response or error; a `validation` ModelError
 * naming why no route could take the request; or the classifier's error (as a
 * ModelError). A classifier that completes without a name picks the default.
 *
 * @example
 * ```ts
 * route({ classify: keywordClassifier(), routes: { code: claude, general: nova }, default: 'general', capabilities: true });
 * ```
 */
export function route(config: RouteConfig): Model {
  if (typeof config?.classify !== 'function') throw new TypeError('route: classify must be a function');
  if (typeof config.routes !== 'object' || config.routes === null || Object.keys(config.routes).length === 0) {
    throw new TypeError('route: routes must name at least one route');
  }
  if (!Object.hasOwn(config.routes, config.default)) {
    throw new TypeError(`route: default must be one of ${Object.keys(config.routes).join(', ')}, got ${String(config.default)}`);
  }
  const catalog = config.catalog ?? DEFAULT_CATALOG;
  const targets = Object.entries(config.routes).map(([name, target]) => resolve(name, target, catalog));
  const byName = new Map(targets.map((t) => [t.name, t]));

  return modelFromCall((request) => {
    const name$ = defer((): Observable<string | undefined> => {
      const chosen = config.classify(request);
      return isObservable(chosen) ? chosen : typeof chosen === 'object' && chosen !== null ? from(chosen) : of(chosen);
    });
    return name$.pipe(
      take(1),
      defaultIfEmpty(undefined),
      catchError((error: unknown) => throwError(() => toModelError(error, { requestId: request.id, source: 'route: classify' }))),
      mergeMap((name) => {
        const first = byName.get(name ?? config.default) ?? byName.get(config.default)!;
        if (!config.capabilities) return callModel(first.model, request);
        const order = [first, ...targets.filter((t) => t !== first)];
        const reasons: string[] = [];
        for (const target of order) {
          const why = unfit(target, request);
          if (why === undefined) return callModel(target.model, request);
          reasons.push(why);
        }
        return throwError(() => new ModelError('validation', `route: no route can take this request (${reasons.join('; ')})`, { requestId: request.id, details: reasons }));
      }),
    );
  });
}

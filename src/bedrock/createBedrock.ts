import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Observable, SchedulerLike } from 'rxjs';
import { schedulerOf } from '../core/clock.js';
import { createEventBus, type EventBus, type RuntimeEvent } from '../core/events.js';
import type { NamedModel } from '../core/model.js';
import type { InferenceConfig } from '../core/request.js';
import type { StreamingModel } from '../core/stream.js';
import { attemptReporter } from './attemptReporter.js';
import { bedrockModel } from './bedrockModel.js';
import { bedrockStreamingModel } from './bedrockStreamingModel.js';
import { DEFAULT_CATALOG, lookupModel, mergeCatalog, type Catalog } from './catalog.js';
import { converseDriver } from './converseDriver.js';
import { createBedrockClient, type BedrockClientConfig } from './createBedrockClient.js';
import { checkBedrockOptions, checkModelOptions } from './createBedrockInternals.js';
import { familyCodecOf } from './families/index.js';
import { invokeDriver } from './invokeDriver.js';
import type { BedrockApi, ModelDriver } from './modelDriver.js';

/** Options of {@link createBedrock}. */
export interface BedrockOptions extends BedrockClientConfig {
  /** A client to use as is (set its `maxAttempts: 1` yourself, or the SDK retries behind rx-bedrock's back). Excludes `endpoint`, `region`, `credentials`. */
  readonly client?: BedrockRuntimeClient;
  /** Clock for latencies and event times. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Where attempt events go. Default: a new bus. */
  readonly events?: EventBus;
  /** Entries added to (or replacing) {@link DEFAULT_CATALOG}. */
  readonly catalog?: Catalog;
  /** Put answer text into `attempt-succeeded` events. Default false. */
  readonly includeContent?: boolean;
}

/** Options of one model operator. */
export interface ModelOptions {
  /** `converse` (default): Converse/ConverseStream. `invoke`: InvokeModel(WithResponseStream) with the family's native body. */
  readonly api?: BedrockApi;
  /** Defaults the request's own `inferenceConfig` fields override. */
  readonly inferenceConfig?: InferenceConfig;
  /** System prompt used when the request has none. */
  readonly system?: string;
}

/** Model operators over one `BedrockRuntimeClient`, reporting on one event bus. */
export interface Bedrock {
  /** A {@link Model}: one unary call per request. */
  model(modelId: string, options?: ModelOptions): NamedModel;
  /** A {@link StreamingModel}: deltas, then `completed`, per request. */
  streamingModel(modelId: string, options?: ModelOptions): StreamingModel & { readonly modelId: string };
  readonly events$: Observable<RuntimeEvent>;
  readonly events: EventBus;
  readonly client: BedrockRuntimeClient;
  readonly catalog: Catalog;
}

/**
 * Model operators for Amazon Bedrock. Builds its own client (`maxAttempts: 1`,
 * keep-alive connections; see `createBedrockClient`) unless one is given.
 * Options are checked here; a bad one throws a `TypeError` naming it.
 *
 * @example
 * ```ts
 * const bedrock = createBedrock({ endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * invoke(bedrock.model('amazon.nova-micro-v1:0'), 'Say hi').subscribe((r) => show(r.text, r.costUsd));
 * bedrock.events$.subscribe((e) => record(e.type));
 * ```
 * @see collect to use a streaming model where a `Model` is expected.
 */
export function createBedrock(options?: BedrockOptions): Bedrock {
  const o = checkBedrockOptions(options);
  const client = o.client ?? createBedrockClient(o);
  const events = o.events ?? createEventBus();
  const scheduler = schedulerOf(o);
  const catalog = o.catalog === undefined ? DEFAULT_CATALOG : mergeCatalog(DEFAULT_CATALOG, o.catalog);

  const operator = (id: unknown, modelOptions: unknown, streaming: boolean) => {
    const { modelId, api, ...defaults } = checkModelOptions(id, modelOptions);
    const entry = lookupModel(catalog, modelId);
    if (streaming && entry?.capabilities.streaming === false) throw new TypeError(`model "${modelId}": the catalog says it does not stream`);
    let driver: ModelDriver;
    if (api === 'converse') driver = converseDriver(client, modelId, defaults);
    else {
      const codec = familyCodecOf(modelId, entry?.family);
      if (codec === undefined) {
        throw new TypeError(`model "${modelId}" options.api: no InvokeModel codec matches this model; use api "converse" or add it to the catalog with a family`);
      }
      driver = invokeDriver(client, modelId, codec, defaults);
    }
    const reporter = attemptReporter({ modelId, api, scheduler, events, includeContent: o.includeContent ?? false, ...(entry ? { entry } : {}) });
    return { driver, reporter };
  };

  return {
    model: (modelId, modelOptions) => {
      const { driver, reporter } = operator(modelId, modelOptions, false);
      return Object.assign(bedrockModel(driver, reporter), { modelId });
    },
    streamingModel: (modelId, modelOptions) => {
      const { driver, reporter } = operator(modelId, modelOptions, true);
      return Object.assign(bedrockStreamingModel(driver, reporter), { modelId });
    },
    events$: events.events$,
    events,
    client,
    catalog,
  };
}

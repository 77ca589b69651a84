import type { OperatorFunction } from 'rxjs';
import type { InferenceRequest } from './request.js';
import type { InferenceResponse } from './response.js';

/**
 * What a streaming model emits for one request: text `delta`s as they arrive,
 * then exactly one `completed` carrying the whole response. A `reset` tells the
 * consumer to discard the text so far (a `restart` fallback began again).
 */
export type StreamEvent =
  | { readonly type: 'delta'; readonly requestId: string; readonly modelId: string; readonly text: string }
  | { readonly type: 'reset'; readonly requestId: string; readonly modelId: string; readonly reason: string }
  | { readonly type: 'completed'; readonly response: InferenceResponse };

/** A model that streams: deltas then one `completed` per request, or an error. */
export type StreamingModel = OperatorFunction<InferenceRequest, StreamEvent>;

import type { StreamingModel } from '../../core/stream.js';

/** The `modelId` a streaming model advertises (scripted and Bedrock ones do), or `label` for a bare operator. */
export function streamingModelId(model: StreamingModel, label: string): string {
  const id = (model as StreamingModel & { readonly modelId?: unknown }).modelId;
  return typeof id === 'string' ? id : label;
}

/** `wrapper`, advertising the `modelId` of the model it wraps (when that has one), so trails and events name the real model. */
export function sameModelId(wrapper: StreamingModel, inner: StreamingModel): StreamingModel {
  const id = (inner as StreamingModel & { readonly modelId?: unknown }).modelId;
  return typeof id === 'string' ? Object.assign(wrapper, { modelId: id }) : wrapper;
}

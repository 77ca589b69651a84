import { serverClock } from './serverClock.js';
import { chunkFrame, eventFrame, exceptionFrame } from './eventStream.js';
import { exceptionBody, streamExceptionType, type ExceptionName } from './exceptions.js';
import { streamDeltaEvent, streamEndEvents, streamStartEvents, type ReplyContext } from './familyReplies.js';
import { destroyConnection, sendException } from './httpReply.js';
import type { Operation } from './operationRequest.js';
import type { ModelProfile } from './profile.js';
import type { Reply } from './respond.js';
import type { Exchange } from './serveInference.js';
import type { ServerResponse } from 'node:http';

/** Everything decided about a streamed reply before its first byte. */
export interface StreamPlan {
  readonly op: Operation;
  readonly reply: Reply;
  readonly inputTokens: number;
  readonly firstTokenMs: number;
  readonly tokensPerSecond: number;
  readonly reset: boolean;
  readonly malformed: boolean;
  /** An injected failure: a late HTTP error, or (ConverseStream) an in-stream `ModelStreamErrorException`. */
  readonly failure?: ExceptionName;
  readonly streamFailure?: NonNullable<ModelProfile['streamFailure']>;
  readonly stall?: NonNullable<ModelProfile['stallAfterTokens']>;
}

const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Streams a reply as AWS event-stream frames: ConverseStream events
 * (`messageStart`, `contentBlockDelta`…, `metadata`) or InvokeModelWithResponseStream
 * `chunk`s of the family's native events. The first token comes at `firstTokenMs`,
 * the rest at `tokensPerSecond`; output tokens are billed as they are written, so
 * a client abort stops both the stream and the billing at once.
 *
 * ```text
 * headers+start ──(firstTokenMs)── t ─ t ─ t ─ … ─ t ── end events   (one t per 1000/tokensPerSecond ms)
 *                                        └─ stall: silent for ms ─┘  └─ streamFailure: exception frame, end
 * ```
 */
export function streamReply(x: Exchange, plan: StreamPlan, latencyMs: number): void {
  const { entry, state, requestId } = x;
  const res = x.res as ServerResponse;
  const converse = plan.op === 'converse-stream';
  let failName: ExceptionName | undefined = plan.streamFailure?.exception;
  let failAt = plan.streamFailure?.afterTokens ?? -1;
  const failure = plan.failure;
  if (failure !== undefined) {
    if (converse && failure === 'ModelStreamErrorException') {
      failName = failure;
      failAt = 0;
    } else return x.after(latencyMs, () => void (x.finish(failure) && sendException(res, failure, requestId)));
  }
  if (plan.reset) return x.after(plan.firstTokenMs, () => void (x.finish('reset') && destroyConnection(x.req)));

  const family = entry.family!;
  const pieces = plan.reply.pieces;
  let seq = 0;
  let sent = 0;
  let firstByte = 0;
  const pad = (): string => PAD.slice(0, 1 + ((seq++ * 7) % PAD.length));
  const ctx = (): ReplyContext => ({
    modelId: entry.id, requestId, text: plan.reply.text, stopReason: plan.reply.stopReason, inputTokens: plan.inputTokens,
    outputTokens: sent, latencyMs: serverClock.now() - x.start, firstByteLatencyMs: firstByte,
  });
  const delta = (i: number): Buffer =>
    converse
      ? eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: pieces[i] }, p: pad() })
      : chunkFrame(streamDeltaEvent(family, pieces[i]!, i, ctx()), pad());
  const endFrames = (stopReason: string): Buffer[] => {
    const c = ctx();
    if (!converse) return streamEndEvents(family, c).map((e) => chunkFrame(e, pad()));
    return [
      eventFrame('contentBlockStop', { contentBlockIndex: 0, p: pad() }),
      eventFrame('messageStop', { stopReason, p: pad() }),
      eventFrame('metadata', {
        usage: { inputTokens: c.inputTokens, outputTokens: c.outputTokens, totalTokens: c.inputTokens + c.outputTokens },
        metrics: { latencyMs: c.latencyMs }, p: pad(),
      }),
    ];
  };

  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId,
    ...(converse ? {} : { 'x-amzn-bedrock-content-type': 'application/json' }),
  });
  res.write(Buffer.concat(converse ? [eventFrame('messageStart', { role: 'assistant', p: pad() })] : streamStartEvents(family, ctx()).map((e) => chunkFrame(e, pad()))));

  const interval = plan.tokensPerSecond > 0 ? 1000 / plan.tokensPerSecond : 0;
  const failIndex = failName === undefined ? -1 : Math.min(failAt, pieces.length);
  let t0 = x.start + plan.firstTokenMs;
  let stalled = false;
  let i = 0;
  const flush = (frames: Buffer[], end: boolean, tokens: number): void => {
    state.bill(x.ledger, 0, tokens, serverClock.now());
    if (end) res.end(Buffer.concat(frames));
    else if (frames.length > 0) res.write(Buffer.concat(frames));
  };
  const pump = (): void => {
    const now = serverClock.now();
    const frames: Buffer[] = [];
    const from = sent;
    if (plan.malformed) {
      if (t0 > now) return x.after(Math.ceil(t0 - now), pump);
      sent = pieces.length;
      state.mark(x.ledger, 'malformed');
      const bad = converse ? [eventFrame('messageStop', { stopReason: 'malformed_model_output', p: pad() })] : [chunkFrame('{"malformed":', pad())];
      x.finish('success');
      return flush([...bad, ...(converse ? endFrames('malformed_model_output').slice(2) : endFrames(''))], true, sent);
    }
    for (;;) {
      if (i === failIndex) {
        frames.push(exceptionFrame(streamExceptionType(failName!), exceptionBody(failName!)));
        x.finish(failName!);
        return flush(frames, true, sent - from);
      }
      if (i >= pieces.length) break;
      if (plan.stall && !stalled && i === plan.stall.afterTokens) {
        stalled = true;
        t0 += plan.stall.ms;
      }
      const due = t0 + i * interval;
      if (due > now) {
        flush(frames, false, sent - from);
        return x.after(Math.ceil(due - now), pump);
      }
      if (i === 0) firstByte = now - x.start;
      frames.push(delta(i));
      i++;
      sent++;
    }
    x.finish('success');
    frames.push(...endFrames(plan.reply.stopReason));
    flush(frames, true, sent - from);
  };
  pump();
}

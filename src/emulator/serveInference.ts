import { serverClock } from './serverClock.js';
import type { EmulatorState, Ledger, ModelEntry } from './emulatorState.js';
import { EXCEPTION_NAMES, LATE_EXCEPTIONS, type ExceptionName } from './exceptions.js';
import { invokeReplyBody, type ReplyContext } from './familyReplies.js';
import { converseReplyJson } from './converseReply.js';
import { destroyConnection, guarded, sendException, sendJson, sendJsonText, type AnyRequest, type AnyResponse } from './httpReply.js';
import { sampleLatency } from './latency.js';
import { parseOperationBody, type Operation } from './operationRequest.js';
import type { Random } from './random.js';
import { respond } from './respond.js';
import { streamReply, type StreamPlan } from './streamReply.js';

/** One draw over a profile's failure rates (a single uniform number against the cumulative rates). */
function drawFailure(failures: Partial<Record<ExceptionName, number>>, random: Random, stream: boolean): ExceptionName | undefined {
  for (const _ in failures) return drawFrom(failures, random, stream);
  return undefined; // no rates at all, the usual case: no lookups of the twelve names
}

function drawFrom(failures: Partial<Record<ExceptionName, number>>, random: Random, stream: boolean): ExceptionName | undefined {
  let acc = 0;
  let u = -1;
  for (const name of EXCEPTION_NAMES) {
    const rate = failures[name];
    if (!rate || (name === 'ModelStreamErrorException' && !stream)) continue;
    if (u < 0) u = random();
    acc += rate;
    if (u < acc) return name;
  }
  return undefined;
}

/** What a request's lifetime hands to the reply code: finish once, and know whether the client left. */
export interface Exchange {
  readonly state: EmulatorState;
  readonly entry: ModelEntry;
  readonly req: AnyRequest;
  readonly res: AnyResponse;
  readonly requestId: string;
  readonly start: number;
  /** Where this request's counters and bills go. */
  readonly ledger: Ledger;
  /** Records the outcome once; false if the request already ended (e.g. cancelled). */
  finish(outcome: Parameters<EmulatorState['leave']>[1]): boolean;
  /** True once the request has an outcome. */
  readonly done: boolean;
  /** Runs `fn` after `ms` (now when 0) unless the request ends first. */
  after(ms: number, fn: () => void): void;
}

function exchange(state: EmulatorState, entry: ModelEntry, req: AnyRequest, res: AnyResponse, requestId: string): Exchange {
  let timer: NodeJS.Timeout | undefined;
  const x = {
    state, entry, req, res, requestId, start: serverClock.now(), done: false, ledger: state.enter(entry),
    finish(outcome: Parameters<EmulatorState['leave']>[1]): boolean {
      if (x.done) return false;
      x.done = true;
      if (timer) serverClock.clearTimeout(timer);
      state.leave(x.ledger, outcome);
      return true;
    },
    after(ms: number, fn: () => void): void {
      const run = (): void => guarded(res, requestId, () => void (x.done || fn()));
      if (ms <= 0) fn();
      else timer = serverClock.setTimeout(() => void ((timer = undefined), run()), ms);
    },
  };
  res.on('close', () => void (!res.writableEnded && x.finish('cancelled'))); // 'close' comes once
  return x;
}

/**
 * Serves one inference request against a simulated model: validation, quota,
 * injected failures, latency, the deterministic answer, and the reply in the
 * operation's wire format (JSON or AWS event stream), counting everything.
 */
export function serveInference(state: EmulatorState, entry: ModelEntry, op: Operation, req: AnyRequest, res: AnyResponse, body: Buffer, requestId: string): void {
  const x = exchange(state, entry, req, res, requestId);
  const reject = (name: ExceptionName, message?: string): void => {
    if (x.finish(name)) sendException(res, name, requestId, message);
  };
  const p = entry.profile;
  const parsed = parseOperationBody(op, entry.family, entry.id, req.headers['content-type'], body);
  if (typeof parsed === 'string') return reject('ValidationException', parsed);
  if (parsed.images > 0 && p.textOnly)
    return reject('ValidationException', "This model doesn't support the image content block that you provided. Try again with a supported content block.");
  if (parsed.inputTokens > p.contextWindow) return reject('ValidationException', 'Input is too long for requested model.');
  if (op === 'count-tokens') {
    x.finish('success');
    return sendJson(res, 200, { inputTokens: parsed.inputTokens }, requestId);
  }

  const now = x.start;
  if (p.rpm !== undefined && entry.requests.total(now) >= p.rpm) {
    state.mark(x.ledger, 'throttles');
    return reject('ThrottlingException', 'Too many requests, please wait before trying again.');
  }
  if (p.tpm !== undefined && entry.tokens.total(now) + parsed.inputTokens > p.tpm) {
    state.mark(x.ledger, 'throttles');
    return reject('ThrottlingException', 'Too many tokens, please wait before trying again.');
  }
  if (p.rpm !== undefined) entry.requests.add(now, 1);

  const stream = op === 'converse-stream' || op === 'invoke-with-response-stream';
  const random = state.random;
  const failure = drawFailure(p.failures, random, stream);
  if (failure !== undefined && !LATE_EXCEPTIONS.has(failure)) return reject(failure);
  state.bill(x.ledger, parsed.inputTokens, 0, now);

  const reset = p.resetRate > 0 && random() < p.resetRate;
  const malformed = p.malformedRate > 0 && random() < p.malformedRate;
  const latencyMs = sampleLatency(p.latency, random);
  const reply = respond(parsed.prompt, {
    modelId: entry.id, accuracy: p.accuracy, seed: state.seed, outputTokens: p.outputTokens,
    ...(parsed.maxTokens === undefined ? {} : { maxTokens: parsed.maxTokens }),
  });

  if (stream) {
    const plan: StreamPlan = {
      op, reply, inputTokens: parsed.inputTokens, reset, malformed,
      firstTokenMs: p.firstTokenMs ? sampleLatency(p.firstTokenMs, random) : latencyMs,
      tokensPerSecond: p.tokensPerSecond,
      ...(failure === undefined ? {} : { failure }),
      ...(p.streamFailure && random() < p.streamFailure.rate ? { streamFailure: p.streamFailure } : {}),
      ...(p.stallAfterTokens && random() < p.stallAfterTokens.rate ? { stall: p.stallAfterTokens } : {}),
    };
    return streamReply(x, plan, latencyMs);
  }

  x.after(latencyMs, () => {
    if (failure !== undefined) return reject(failure);
    if (reset) return void (x.finish('reset') && destroyConnection(req));
    if (!x.finish('success')) return;
    const outputTokens = reply.pieces.length;
    state.bill(x.ledger, 0, outputTokens, serverClock.now());
    if (malformed) state.mark(x.ledger, 'malformed');
    const elapsed = serverClock.now() - x.start;
    if (op === 'converse') {
      return sendJsonText(res, 200, converseReplyJson({
        text: malformed ? undefined : reply.text, stopReason: malformed ? 'malformed_model_output' : reply.stopReason,
        inputTokens: parsed.inputTokens, outputTokens, latencyMs: elapsed,
      }), requestId);
    }
    const ctx: ReplyContext = {
      modelId: entry.id, requestId, text: reply.text, stopReason: reply.stopReason,
      inputTokens: parsed.inputTokens, outputTokens, latencyMs: elapsed, firstByteLatencyMs: elapsed,
    };
    const json = JSON.stringify(invokeReplyBody(entry.family!, ctx));
    sendJsonText(res, 200, malformed ? json.slice(0, json.length >> 1) : json, requestId, {
      'x-amzn-bedrock-input-token-count': parsed.inputTokens, 'x-amzn-bedrock-output-token-count': outputTokens,
      'x-amzn-bedrock-invocation-latency': elapsed,
    });
  });
}

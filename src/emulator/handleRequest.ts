import type { EmulatorState } from './emulatorState.js';
import { serveControl } from './controlRoutes.js';
import { guarded, sendException, type AnyRequest, type AnyResponse, type ErrorName } from './httpReply.js';
import type { Operation } from './operationRequest.js';
import { serveInference } from './serveInference.js';
import { verifySignature, type SigningCredentials } from './verifySignature.js';

const ROUTE = /^\/model\/([^/?]+)\/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)(?:\?.*)?$/;
/** Bedrock's largest request body (20 MB); anything longer is a ValidationException. */
const MAX_BODY = 20 * 1024 * 1024;
/** How many distinct path labels the handler remembers decoded (a bound, so random ids cannot grow memory). */
const MAX_REMEMBERED_IDS = 10_000;

function readBody(req: AnyRequest, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', () => done(size > MAX_BODY ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
}

/**
 * The request handler behind both protocols: `/_emulator/*` control routes, the
 * five model operations, and Bedrock's own errors for everything else
 * (`UnknownOperationException` for unknown paths, `ResourceNotFoundException`
 * for unknown model ids, `ValidationException` for bad bodies). It never throws:
 * an unexpected bug answers `InternalServerException`. With `requireSignature`,
 * model operations must carry a valid SigV4 signature by that key pair.
 */
export function createHandler(state: EmulatorState, requireSignature?: SigningCredentials): (req: AnyRequest, res: AnyResponse) => void {
  const fail = (res: AnyResponse, name: ErrorName, requestId: string, message?: string): void => {
    state.leave(state.enter(undefined), name);
    sendException(res, name, requestId, message);
  };
  /** Path label → decoded model id: a client sends the same few labels again and again. */
  const modelIds = new Map<string, string>();
  return (req, res) => {
    const requestId = state.nextRequestId();
    const url = req.url ?? '/';
    guarded(res, requestId, () => {
      if (url.startsWith('/_emulator/')) {
        const path = url.split('?', 1)[0]!;
        return readBody(req, (body) => guarded(res, requestId, () => serveControl(state, req, res, path, body ?? Buffer.alloc(0), requestId)));
      }
      const route = ROUTE.exec(url);
      if (!route || req.method !== 'POST') return fail(res, 'UnknownOperationException', requestId);
      let modelId = modelIds.get(route[1]!);
      if (modelId === undefined) {
        try {
          modelId = decodeURIComponent(route[1]!);
        } catch {
          return fail(res, 'ValidationException', requestId, 'The provided model identifier is invalid.');
        }
        if (modelIds.size < MAX_REMEMBERED_IDS) modelIds.set(route[1]!, modelId);
      }
      readBody(req, (body) =>
        guarded(res, requestId, () => {
          if (body === undefined) return fail(res, 'ValidationException', requestId, 'Input is too long for requested model.');
          const refused = requireSignature && verifySignature(req, body, requireSignature);
          if (refused) return fail(res, refused.name, requestId, refused.message);
          const entry = state.resolve(modelId);
          if (!entry) return fail(res, 'ResourceNotFoundException', requestId);
          serveInference(state, entry, route[2] as Operation, req, res, body, requestId);
        }),
      );
    });
  };
}

import type { EmulatorState } from './emulatorState.js';
import { sendException, sendJson, type AnyRequest, type AnyResponse } from './httpReply.js';

/**
 * The emulator's own HTTP control API, for other processes on the same port:
 *
 * - `GET /_emulator/stats`: the counters (`Emulator.stats()`) as JSON
 * - `GET /_emulator/models`: every model's current profile
 * - `PUT /_emulator/models/{id}`: a JSON partial profile (`null` removes an optional key);
 *   a bad body is a 400 `ValidationException` whose message names the path, e.g. `anthropic.claude-v2:1.accuracy: expected …`
 * - `POST /_emulator/reset`: counters, profiles and randomness back to the start
 */
export function serveControl(state: EmulatorState, req: AnyRequest, res: AnyResponse, path: string, body: Buffer, requestId: string): void {
  const method = req.method;
  if (path === '/_emulator/stats' && method === 'GET') return sendJson(res, 200, state.stats(), requestId);
  if (path === '/_emulator/models' && method === 'GET') return sendJson(res, 200, state.profiles(), requestId);
  if (path === '/_emulator/reset' && method === 'POST') {
    state.reset();
    return sendJson(res, 200, { reset: true }, requestId);
  }
  const model = /^\/_emulator\/models\/([^/]+)$/.exec(path);
  if (model && method === 'PUT') {
    let id: string;
    let patch: unknown;
    try {
      id = decodeURIComponent(model[1]!);
      patch = JSON.parse(body.toString('utf8'));
    } catch {
      return sendException(res, 'ValidationException', requestId, 'The body must be a JSON object (a partial model profile).');
    }
    try {
      return sendJson(res, 200, { modelId: id, profile: state.setProfile(id, patch) }, requestId);
    } catch (error) {
      return sendException(res, 'ValidationException', requestId, (error as Error).message);
    }
  }
  return sendException(res, 'UnknownOperationException', requestId);
}

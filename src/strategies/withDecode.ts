import type * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import { map } from 'rxjs';
import { reportErrors } from '../core/codecs.js';
import { ModelError } from '../core/errors.js';
import type { Model } from '../core/model.js';
import { callModel, modelFromCall } from '../core/modelCall.js';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Checks every answer of `model` against an io-ts codec: the text itself when
 * the codec accepts it (a string codec), else the text parsed as JSON (a
 * ```json fence is looked into). The decoded value lands in `details.decoded`.
 * A mismatch is an `invalid-output` ModelError (retriable, fallback allowed)
 * whose `details` are the path report, so a `withRetry` or `fallback` around
 * it asks again.
 *
 * @example
 * ```ts
 * const Person = t.type({ name: t.string, age: t.number });
 * const m = withRetry(withDecode(nova, Person), 2); // `age: expected number, got "ten"` → ask again
 * ```
 * @see pipeline
 */
export function withDecode(model: Model, codec: t.Decoder<unknown, unknown>): Model {
  if (typeof model !== 'function') throw new TypeError('withDecode: model must be a Model (an operator function)');
  if (typeof codec?.decode !== 'function') throw new TypeError('withDecode: codec must be an io-ts codec');
  return modelFromCall((request) =>
    callModel(model, request).pipe(
      map((response) => {
        const asText = codec.decode(response.text);
        if (isRight(asText)) return { ...response, details: { ...response.details, decoded: asText.right } };
        const json = parseJson(response.text);
        const decoded = json.ok ? codec.decode(json.value) : asText;
        if (isRight(decoded)) return { ...response, details: { ...response.details, decoded: decoded.right } };
        const details = json.ok ? reportErrors(decoded.left) : [`(root): expected JSON for ${codec.name}, got ${JSON.stringify(response.text.slice(0, 40))}`];
        throw new ModelError('invalid-output', `${response.modelId}: answer does not match ${codec.name}: ${details.join('; ')}`, {
          modelId: response.modelId,
          requestId: request.id,
          details,
        });
      }),
    ),
  );
}

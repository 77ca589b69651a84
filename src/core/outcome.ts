import type { Either } from 'fp-ts/lib/Either.js';
import type { ModelError } from './errors.js';
import type { InferenceResponse } from './response.js';

/** How one request ended: a response, or the error that ended it. A failure is a value, not a dead stream. */
export type Outcome = Either<ModelError, InferenceResponse>;

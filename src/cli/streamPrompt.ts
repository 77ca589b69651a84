import type { Writable } from 'node:stream';
import { lastValueFrom, of, tap } from 'rxjs';
import type { Bedrock } from '../bedrock/createBedrock.js';
import { toRequest } from '../core/request.js';
import { EXIT } from './usage.js';

/** `rx-bedrock run --stream`: prints one prompt's answer token by token as it arrives. */
export async function streamPrompt(bedrock: Bedrock, modelId: string, prompt: string, out: Writable): Promise<number> {
  await lastValueFrom(
    of(toRequest(prompt)).pipe(
      bedrock.streamingModel(modelId),
      tap((event) => {
        if (event.type === 'delta') out.write(event.text);
        else if (event.type === 'completed') out.write(`\n`);
      }),
    ),
  );
  return EXIT.ok;
}

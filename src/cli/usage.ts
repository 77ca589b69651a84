/** Exit codes of the rx-bedrock command (documented in the README). */
export const EXIT = {
  /** Everything asked for succeeded. */
  ok: 0,
  /** The command ran, but some requests failed. */
  someFailed: 1,
  /** Bad usage, a bad config, or a file that could not be read. */
  usage: 2,
  /** Interrupted (Ctrl-C or SIGTERM); every finished result was written. */
  interrupted: 130,
} as const;

/** A mistake in how the command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `rx-bedrock — reactive multi-model inference on Amazon Bedrock

Usage:
  rx-bedrock demo                                   run a small workload against an embedded emulator
  rx-bedrock emulator [--port N] [--host H] [--models profiles.json]
                                                    serve the Bedrock Runtime emulator in the foreground
  rx-bedrock run --config strategy.yaml [--input requests.jsonl|-] [--output results.jsonl|-]
                 [--concurrency N] [--emulator | --endpoint URL | --region R] [--resume]
                 [--metrics-port P] [--stream]       run JSONL requests through a strategy
  rx-bedrock validate --config strategy.yaml        check a strategy file and print its tree
  rx-bedrock worker --redis URL --config strategy.yaml [--stream S] [--group G] [--consumer C] [--concurrency N]
                                                    consume requests from a Redis stream, write results back
  rx-bedrock enqueue --redis URL --input requests.jsonl [--stream S]
                                                    add JSONL requests to the Redis stream
  rx-bedrock results --redis URL --output results.jsonl [--stream S]
                                                    write the stored results as JSONL
  rx-bedrock schema                                 print the JSON Schema of strategy files
  rx-bedrock help                                   this text

Exit codes: 0 all ok, 1 some requests failed, 2 bad usage or config, 130 interrupted.
`;

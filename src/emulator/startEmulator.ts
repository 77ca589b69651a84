import { listenDual } from './dualServer.js';
import { EmulatorState } from './emulatorState.js';
import { createHandler } from './handleRequest.js';
import type { ModelProfile, ModelProfilePatch } from './profile.js';
import type { EmulatorStats } from './stats.js';
import type { SigningCredentials } from './verifySignature.js';

/** Options of {@link startEmulator}. */
export interface EmulatorConfig {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Address to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Profile changes per model id, applied over {@link DEFAULT_PROFILES}; a new id adds a model. */
  readonly models?: Readonly<Record<string, Partial<ModelProfile> | ModelProfilePatch>>;
  /** Seed of every random choice (default 0): same seed and request order, same run. */
  readonly seed?: number;
  /**
   * When set, model operations must be signed (SigV4) with exactly this key pair:
   * otherwise 403 `MissingAuthenticationTokenException`, `UnrecognizedClientException`
   * (another access key) or `InvalidSignatureException`. Default: any `authorization` is accepted.
   */
  readonly requireSignature?: SigningCredentials;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`: pass it as the `endpoint` of a `BedrockRuntimeClient`. */
  readonly endpoint: string;
  readonly port: number;
  /** A snapshot of every counter, per model and in total. */
  stats(): EmulatorStats;
  /** Changes a model's profile at run time (creates the model when new); throws TypeError on a bad patch. */
  setProfile(modelId: string, partial: Partial<ModelProfile> | ModelProfilePatch): void;
  /** Counters, profiles, quota windows and randomness back to how they started. */
  reset(): void;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Starts a local Amazon Bedrock Runtime: a real server that the unmodified
 * `BedrockRuntimeClient` talks to over HTTP/2 (its default) or HTTP/1.1 on the same
 * port, with only `endpoint` and dummy credentials changed. It serves Converse,
 * ConverseStream, InvokeModel (eight native families), InvokeModelWithResponseStream
 * and CountTokens for the simulated models of {@link DEFAULT_PROFILES}, answers with
 * Bedrock's own errors, and counts calls, tokens, throttles and cancellations.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ seed: 1 });
 * const client = new BedrockRuntimeClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * const out = await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'What is 12 + 7?' }] }] }));
 * out.output?.message?.content?.[0]?.text; // '19' (most of the time: nova-lite's accuracy is 0.8)
 * await emulator.close();
 * ```
 * @throws TypeError naming the option when `port`, `host`, `seed`, `requireSignature` or a `models` entry is invalid.
 */
export async function startEmulator(options: EmulatorConfig = {}): Promise<Emulator> {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port: expected an integer from 0 to 65535, got ${String(port)}`);
  if (typeof host !== 'string' || host.length === 0) throw new TypeError(`host: expected a non-empty string, got ${String(host)}`);
  if (!Number.isInteger(seed)) throw new TypeError(`seed: expected an integer, got ${String(seed)}`);
  if (options.models !== undefined && (typeof options.models !== 'object' || options.models === null))
    throw new TypeError('models: expected an object of partial profiles by model id');
  const signer = options.requireSignature;
  if (signer !== undefined && (typeof signer?.accessKeyId !== 'string' || typeof signer?.secretAccessKey !== 'string'))
    throw new TypeError('requireSignature: expected {accessKeyId: string, secretAccessKey: string}');
  const state = EmulatorState.create(options.models, seed);
  const server = await listenDual(createHandler(state, signer), host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${shownHost}:${server.port}`,
    port: server.port,
    stats: () => state.stats(),
    setProfile: (modelId, partial) => void state.setProfile(modelId, partial),
    reset: () => state.reset(),
    close: () => server.close(),
  };
}

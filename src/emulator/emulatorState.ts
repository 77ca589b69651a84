import { DEFAULT_PROFILES } from './catalog.js';
import type { ErrorName } from './httpReply.js';
import { baseModelId, familyOf, type ModelFamily } from './families.js';
import { applyProfilePatch, BASE_PROFILE, type ModelProfile } from './profile.js';
import { SlidingWindow } from './quota.js';
import { seededRandom, type Random } from './random.js';
import { copyStats, emptyStats, type EmulatorStats, type ModelStats } from './stats.js';

/** One simulated model as the server sees it. */
export interface ModelEntry {
  readonly id: string;
  readonly family: ModelFamily | undefined;
  profile: ModelProfile;
  readonly stats: ModelStats;
  readonly requests: SlidingWindow;
  readonly tokens: SlidingWindow;
}

/** The counters one request is counted in (its model's and the totals), fixed when it arrives. */
export interface Ledger {
  readonly entry: ModelEntry | undefined;
  readonly stats: readonly ModelStats[];
}

/**
 * The mutable heart of one emulator: profiles, counters, quota windows and the
 * seeded random source. Everything `reset()` puts back to where it started.
 */
export class EmulatorState {
  random: Random;
  private totals: ModelStats = emptyStats();
  private readonly models = new Map<string, ModelEntry>();
  private readonly lookups = new Map<string, ModelEntry | null>();
  private counter = 0;

  constructor(
    private readonly initial: Readonly<Record<string, ModelProfile>>,
    readonly seed: number,
  ) {
    this.random = seededRandom(seed);
    this.load();
  }

  /** Builds the initial profiles from the defaults and the `models` option (throws TypeError naming the bad key). */
  static create(models: Readonly<Record<string, unknown>> | undefined, seed: number): EmulatorState {
    const initial: Record<string, ModelProfile> = { ...DEFAULT_PROFILES };
    for (const [id, patch] of Object.entries(models ?? {})) initial[id] = applyProfilePatch(initial[id] ?? BASE_PROFILE, patch, `models.${id}`);
    return new EmulatorState(initial, seed);
  }

  private load(): void {
    this.models.clear();
    this.lookups.clear();
    for (const [id, profile] of Object.entries(this.initial)) this.add(id, profile);
  }

  private add(id: string, profile: ModelProfile): ModelEntry {
    const entry: ModelEntry = { id, family: familyOf(id), profile, stats: emptyStats(), requests: new SlidingWindow(), tokens: new SlidingWindow() };
    this.models.set(id, entry);
    this.lookups.clear();
    return entry;
  }

  /** The model a path label names: exact id first, then the foundation model behind an ARN or `us.`-style prefix. */
  resolve(modelId: string): ModelEntry | undefined {
    const cached = this.lookups.get(modelId);
    if (cached !== undefined) return cached ?? undefined;
    const entry = this.models.get(modelId) ?? this.models.get(baseModelId(modelId));
    if (this.lookups.size < 10_000) this.lookups.set(modelId, entry ?? null);
    return entry;
  }

  /** Applies a validated patch to a model's profile, creating the model when it is new. */
  setProfile(modelId: string, patch: unknown): ModelProfile {
    const entry = this.models.get(modelId);
    const profile = applyProfilePatch(entry?.profile ?? BASE_PROFILE, patch, modelId);
    if (entry) entry.profile = profile;
    else this.add(modelId, profile);
    return profile;
  }

  /** The current profile of every model. */
  profiles(): Record<string, ModelProfile> {
    return Object.fromEntries([...this.models].map(([id, e]) => [id, e.profile]));
  }

  /** Counters, profiles, quota windows and randomness back to the start. */
  reset(): void {
    this.totals = emptyStats();
    this.random = seededRandom(this.seed);
    this.counter = 0;
    this.load();
  }

  /** A snapshot of all counters. */
  stats(): EmulatorStats {
    return { models: Object.fromEntries([...this.models].map(([id, e]) => [id, copyStats(e.stats)])), totals: copyStats(this.totals) };
  }

  /** A request id shaped like Bedrock's UUIDs, from the seed and a counter (reproducible). */
  nextRequestId(): string {
    const n = (this.counter++).toString(16).padStart(12, '0');
    return `${(this.seed >>> 0).toString(16).padStart(8, '0')}-e301-4a7e-8000-${n}`;
  }

  /**
   * Counts a request entering (calls, in flight, peak) and returns its ledger:
   * the counters it was counted in, so its outcome lands there even if `reset()`
   * happens while it is in flight.
   */
  enter(entry: ModelEntry | undefined): Ledger {
    const ledger: Ledger = { entry, stats: entry ? [entry.stats, this.totals] : [this.totals] };
    for (const s of ledger.stats) {
      s.calls++;
      s.inFlight++;
      if (s.inFlight > s.peakConcurrency) s.peakConcurrency = s.inFlight;
    }
    return ledger;
  }

  /** Counts a request leaving with its outcome. */
  leave(ledger: Ledger, outcome: 'success' | 'cancelled' | 'reset' | ErrorName): void {
    for (const s of ledger.stats) {
      s.inFlight--;
      if (outcome === 'success') s.successes++;
      else if (outcome === 'cancelled') s.cancelled++;
      else if (outcome === 'reset') s.resets++;
      else s.errors[outcome] = (s.errors[outcome] ?? 0) + 1;
    }
  }

  /** Bills tokens to a request's counters, and to its model's `tpm` window at time `now`. */
  bill(ledger: Ledger, input: number, output: number, now: number): void {
    for (const s of ledger.stats) {
      s.inputTokens += input;
      s.outputTokens += output;
    }
    if (ledger.entry?.profile.tpm !== undefined) ledger.entry.tokens.add(now, input + output);
  }

  /** Counts one extra event (`throttles` or `malformed`) on a request's counters. */
  mark(ledger: Ledger, counter: 'throttles' | 'malformed'): void {
    for (const s of ledger.stats) s[counter]++;
  }
}

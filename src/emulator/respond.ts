import { hash32, hashUnit, seededRandom } from './random.js';
import { lexiconSentiment, SENTIMENTS } from './sentiment.js';

/** What kind of question the responder recognised. */
export type ResponderTask = 'sentiment' | 'arithmetic' | 'extract' | 'text';

/** Options of {@link respond}. */
export interface RespondConfig {
  /** Which model answers: different models err independently. */
  readonly modelId: string;
  /** Probability of a right answer to a checkable question (default 1). */
  readonly accuracy?: number;
  /** Seed mixed into every choice (default 0). */
  readonly seed?: number;
  /** The request's max tokens: caps the answer, and sets the length of free text. */
  readonly maxTokens?: number;
  /** Length of free text when `maxTokens` is absent (default 32). */
  readonly outputTokens?: number;
}

/** The answer of {@link respond}: its text, the pieces a stream sends (one output token each), and whether it is right. */
export interface Reply {
  readonly task: ResponderTask;
  readonly text: string;
  readonly pieces: readonly string[];
  readonly stopReason: 'end_turn' | 'max_tokens';
  readonly correct: boolean;
}

const SENTIMENT_Q = /classify the sentiment[^:]*:\s*([\s\S]*)/i;
const ARITHMETIC_Q = /what is\s*(-?\d+)\s*([-+*x×])\s*(-?\d+)/i;
const EXTRACT_Q = /extract json:?\s*([^\n]*)/i;
const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur'.split(' ');
/** Each lorem word as the first piece of a text (capitalised) and as any later piece (after a space). */
const LOREM_FIRST = LOREM.map((word) => word.charAt(0).toUpperCase() + word.slice(1));
const LOREM_NEXT = LOREM.map((word) => ` ${word}`);

function arithmetic(a: number, op: string, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

function extractFields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.split(',')) {
    const m = /^\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(part);
    if (m && m[1]) out[m[1]] = m[2]!;
  }
  return out;
}

/** Words and punctuation runs, each with its leading space: how the responder counts and streams tokens. */
export function splitPieces(text: string): string[] {
  return text.match(/\s*(?:[A-Za-z0-9]+|[^\sA-Za-z0-9]+)/g) ?? [];
}

/**
 * The right answer to a checkable prompt (sentiment label, arithmetic result,
 * extracted JSON), or `undefined` for free text. Scores a reply: `reply.trim() === expectedAnswer(prompt)`.
 */
export function expectedAnswer(prompt: string): string | undefined {
  return answer(prompt, () => RIGHT)?.[1];
}

/** Whether a model answers a checkable prompt wrong, and which wrong answer (an index) it picks. */
interface Slip {
  readonly wrong: boolean;
  readonly alt: number;
}

const RIGHT: Slip = { wrong: false, alt: 0 };

/** The answer to a checkable prompt; `slip` is asked only when the prompt is checkable (free text never needs it). */
function answer(prompt: string, slip: () => Slip): [ResponderTask, string] | undefined {
  const s = SENTIMENT_Q.exec(prompt);
  if (s) {
    const right = lexiconSentiment(s[1]!);
    const { wrong, alt } = slip();
    if (!wrong) return ['sentiment', right];
    const others = SENTIMENTS.filter((l) => l !== right);
    return ['sentiment', others[alt % others.length]!];
  }
  const a = ARITHMETIC_Q.exec(prompt);
  if (a) {
    const value = arithmetic(Number(a[1]), a[2]!, Number(a[3]));
    const { wrong, alt } = slip();
    return ['arithmetic', String(wrong ? value + (alt % 2 === 0 ? 1 : -1) : value)];
  }
  const e = EXTRACT_Q.exec(prompt);
  if (e) {
    const fields = extractFields(e[1]!);
    if (slip().wrong) {
      const keys = Object.keys(fields);
      const numeric = keys.find((k) => /^-?\d+$/.test(fields[k]!));
      if (numeric) fields[numeric] = String(Number(fields[numeric]) + 1);
      else if (keys.length > 0) delete fields[keys[keys.length - 1]!];
    }
    return ['extract', JSON.stringify(fields)];
  }
  return undefined;
}

/**
 * The deterministic simulated model: recognises sentiment questions
 * ("Classify the sentiment … : <text>"), small arithmetic ("What is 12 + 7?")
 * and JSON extraction ("Extract JSON: name: Bob, age: 42"); anything else gets
 * seeded lorem-ipsum text of `maxTokens` (or `outputTokens`) words. With
 * probability `1 - accuracy` a checkable answer is wrong (another label, off by
 * one, a field off), decided by a hash of (modelId, prompt, seed), so models err
 * independently and a majority vote beats any one of them.
 *
 * @example
 * ```ts
 * respond('What is 12 + 7?', { modelId: 'amazon.nova-lite-v1:0' }).text; // '19'
 * ```
 */
export function respond(prompt: string, config: RespondConfig): Reply {
  const seed = config.seed ?? 0;
  let wrong = false;
  const checked = answer(prompt, () => {
    wrong = hashUnit(config.modelId, prompt, seed) >= (config.accuracy ?? 1);
    return { wrong, alt: hash32(config.modelId, prompt, seed, 'alt') };
  });
  if (checked) {
    const all = splitPieces(checked[1]);
    const cut = config.maxTokens !== undefined && all.length > config.maxTokens;
    const pieces = cut ? all.slice(0, Math.max(0, config.maxTokens!)) : all;
    return { task: checked[0], text: pieces.join(''), pieces, stopReason: cut ? 'max_tokens' : 'end_turn', correct: !wrong && !cut };
  }
  const n = Math.max(0, config.maxTokens ?? config.outputTokens ?? 32);
  const random = seededRandom(hash32(config.modelId, prompt, seed, 'lorem'));
  const pieces: string[] = [];
  let text = '';
  for (let i = 0; i < n; i++) {
    const piece = (i === 0 ? LOREM_FIRST : LOREM_NEXT)[Math.floor(random() * LOREM.length)]!;
    pieces.push(piece);
    text += piece;
  }
  if (n > 0) {
    pieces[n - 1] += '.';
    text += '.';
  }
  return { task: 'text', text, pieces, stopReason: config.maxTokens !== undefined ? 'max_tokens' : 'end_turn', correct: true };
}

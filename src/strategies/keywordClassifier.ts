import { hasImage, lastUserText, type InferenceRequest } from '../core/request.js';

/** Route name → words or patterns that send a request there, checked in order. */
export type KeywordRules = Readonly<Record<string, readonly (string | RegExp)[]>>;

/**
 * The built-in rules: `image` (any image block, or words about pictures),
 * `code`, `structured-data`, `low-latency`; first match wins.
 */
export const DEFAULT_KEYWORD_RULES: KeywordRules = {
  image: ['image', 'photo', 'picture', 'screenshot', 'diagram'],
  code: ['code', 'function', 'bug', 'compile', 'stack trace', 'typescript', 'javascript', 'python', 'regex', 'sql', /```/],
  'structured-data': ['json', 'csv', 'yaml', 'xml', 'table', 'schema', 'extract', 'fields'],
  'low-latency': ['quick', 'quickly', 'briefly', 'one word', 'yes or no', 'tl;dr'],
};

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A {@link Classifier} by keywords over the last user turn (whole words, any
 * case). The request's `task` hint wins over the rules; with the default
 * rules, an image block routes to `image`. No match → `undefined` (the default route).
 *
 * @example
 * ```ts
 * keywordClassifier()(toRequest('Fix this TypeScript bug')); // 'code'
 * keywordClassifier({ billing: ['invoice', /refund(s)?/] });
 * ```
 */
export function keywordClassifier(rules: KeywordRules = DEFAULT_KEYWORD_RULES): (request: InferenceRequest) => string | undefined {
  if (typeof rules !== 'object' || rules === null) throw new TypeError('keywordClassifier: rules must be a record of route name → keywords');
  const compiled = Object.entries(rules).map(([name, words]) => {
    if (!Array.isArray(words)) throw new TypeError(`keywordClassifier: rules.${name} must be an array of strings or RegExps`);
    return {
      name,
      patterns: words.map((w: string | RegExp) => (typeof w === 'string' ? new RegExp(`(?<![\\w-])${escape(w)}(?![\\w-])`, 'i') : w)),
    };
  });
  return (request) => {
    if (request.task !== undefined) return request.task;
    if (rules === DEFAULT_KEYWORD_RULES && hasImage(request)) return 'image';
    const text = lastUserText(request);
    return compiled.find((rule) => rule.patterns.some((p) => p.test(text)))?.name;
  };
}

import { describe, expect, it } from 'vitest';
import * as t from 'io-ts';
import { ModelError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/model.js';
import { toRequest } from '../../src/core/request.js';
import { withDecode } from '../../src/strategies/withDecode.js';
import { withRetry } from '../../src/strategies/withRetry.js';
import { modelTestScheduler, scriptedModel } from '../../src/testing/index.js';

const req = toRequest({ id: 'r1', prompt: 'a person as JSON' });
const Person = t.type({ name: t.string, age: t.number }, 'Person');
const scheduler = () => modelTestScheduler((a, e) => expect(a).toEqual(e));

function outcome(model: ReturnType<typeof withDecode>) {
  let value: unknown;
  invoke(model, req).subscribe({ next: (r) => (value = r), error: (e) => (value = e) });
  return value;
}

describe('withDecode', () => {
  it('puts the decoded JSON (fenced or not) in details.decoded', () => {
    expect(outcome(withDecode(scriptedModel('m', [{ reply: '{"name":"Ada","age":36}' }]), Person))).toMatchObject({ details: { decoded: { name: 'Ada', age: 36 } } });
    expect(outcome(withDecode(scriptedModel('m', [{ reply: 'Here:\n```json\n{"name":"Bo","age":2}\n```' }]), Person))).toMatchObject({ details: { decoded: { name: 'Bo', age: 2 } } });
  });

  it('decodes the text itself with a string codec', () => {
    const Colour = t.keyof({ red: null, blue: null });
    expect(outcome(withDecode(scriptedModel('m', [{ reply: 'blue' }]), Colour))).toMatchObject({ details: { decoded: 'blue' } });
  });

  it('fails with invalid-output carrying the path report', () => {
    const error = outcome(withDecode(scriptedModel('m', [{ reply: '{"name":"Ada","age":"old"}' }]), Person)) as ModelError;
    expect(error).toMatchObject({ kind: 'invalid-output', modelId: 'm', requestId: 'r1', retriable: true, details: ['age: expected number, got "old"'] });
    const notJson = outcome(withDecode(scriptedModel('m', [{ reply: 'no json here' }]), Person)) as ModelError;
    expect(notJson.details).toEqual(['(root): expected JSON for Person, got "no json here"']);
  });

  it('lets a retry around it repair a bad answer', () => {
    const m = scriptedModel('m', [{ after: 1, reply: '{"name":1}' }, { after: 1, reply: '{"name":"Ada","age":36}' }]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(invoke(withRetry(withDecode(m, Person), { count: 1, backoff: { initialMs: 5, jitter: 'none' } }), req)).toBe('7ms (r|)', {
        r: expect.objectContaining({ details: { decoded: { name: 'Ada', age: 36 } }, attempts: [expect.objectContaining({ outcome: 'failure', errorKind: 'invalid-output' }), expect.objectContaining({ outcome: 'success' })] }),
      });
    });
  });

  it('checks its options when created', () => {
    expect(() => withDecode(scriptedModel('m', [{ reply: 'x' }]), {} as typeof Person)).toThrow(/withDecode: codec/);
  });
});

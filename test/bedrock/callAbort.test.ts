import { describe, expect, it } from 'vitest';
import { CallAbort } from '../../src/bedrock/callAbort.js';

describe('CallAbort', () => {
  it('starts not aborted and calls onabort, then the listeners, once on abort', () => {
    const abort = new CallAbort();
    const calls: string[] = [];
    abort.onabort = (event) => calls.push(`onabort ${event.type}`);
    abort.addEventListener('abort', (event) => calls.push(`first ${String(event.target === abort)}`));
    abort.addEventListener('abort', () => calls.push('second'));
    abort.addEventListener('other', () => calls.push('other'));
    expect(abort.aborted).toBe(false);
    expect(abort.reason).toBeUndefined();
    abort.abort();
    abort.abort();
    expect(abort.aborted).toBe(true);
    expect(calls).toEqual(['onabort abort', 'first true', 'second']);
  });

  it('gives an AbortError reason by default, or the one given', () => {
    const byDefault = new CallAbort();
    byDefault.abort();
    expect(byDefault.reason).toBeInstanceOf(DOMException);
    expect((byDefault.reason as DOMException).name).toBe('AbortError');
    const given = new CallAbort();
    const reason = new Error('stop');
    given.abort(reason);
    expect(given.reason).toBe(reason);
  });

  it('does not call a listener removed before the abort', () => {
    const abort = new CallAbort();
    const calls: string[] = [];
    const gone = () => calls.push('gone');
    abort.addEventListener('abort', gone);
    abort.addEventListener('abort', () => calls.push('kept'));
    abort.removeEventListener('abort', gone);
    abort.removeEventListener('abort', gone);
    abort.abort();
    expect(calls).toEqual(['kept']);
  });
});

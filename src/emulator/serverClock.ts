/**
 * The emulator's clock: the real `Date.now`, `setTimeout` and `clearTimeout`,
 * captured when the module loads, so a test that later installs fake timers
 * (`vi.useFakeTimers()`) in the same process does not freeze the server.
 */
export const serverClock = {
  now: Date.now.bind(Date) as () => number,
  setTimeout: globalThis.setTimeout.bind(globalThis) as typeof globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout.bind(globalThis) as typeof globalThis.clearTimeout,
};

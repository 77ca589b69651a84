export * from './store.js';
export * from './storeReply.js';
export * from './memoryStore.js';
export * from './lruMap.js';
export * from './tokenBucket.js';
export * from './breakerState.js';
export * from './scoreEma.js';
export * from './rollingSpend.js';

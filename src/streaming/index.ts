export * from './hedgeFirstToken.js';
export * from './streamFallback.js';
export * from './streamStats.js';
export * from './withStallTimeout.js';
export * from './withStreamBudget.js';
export * from './withStreamGuard.js';
export * from './withStreamMetrics.js';
export * from './wordListGuard.js';

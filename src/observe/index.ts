export * from './latencyHistogram.js';
export * from './metricsSnapshot.js';
export * from './metricsConfig.js';
export * from './metrics.js';
export * from './createMetrics.js';
export * from './toPrometheus.js';
export * from './serveMetrics.js';
export * from './tracing.js';

// rx-bedrock: reactive multi-model inference orchestration for Amazon Bedrock.
// This file only re-exports; each export lives in its own module.
export * from './core/index.js';
export * from './bedrock/index.js';
export * from './state/index.js';
export * from './observe/index.js';
export * from './stream/index.js';
export * from './strategies/index.js';
export * from './streaming/index.js';
export { buildStrategy, type StrategyContext } from './config/buildStrategy.js';
export { describeStrategy } from './config/describeStrategy.js';
export { strategyFileJsonSchema, toJsonSchema } from './config/jsonSchema.js';
export { ConfigError, DEFAULT_STRATEGY_FILE_LIMITS, parseStrategyFile, type StrategyFileLimits } from './config/parseStrategyFile.js';
export { StrategyFileCodec, StrategyNodeCodec, type StrategyFile, type StrategyNode } from './config/schema.js';
export {
  createOrchestrator,
  type Orchestrator,
  type OrchestratorConfig,
  type ProcessOptions,
  type RequestLogEntry,
  type StrategyName,
} from './orchestrator/createOrchestrator.js';
export { RingBuffer } from './orchestrator/ringBuffer.js';

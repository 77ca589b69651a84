export * from './baseModelId.js';
export * from './catalog.js';
export * from './classifyError.js';
export * from './collect.js';
export * from './createBedrock.js';
export * from './createBedrockClient.js';
export * from './families/index.js';
export type { BedrockApi } from './modelDriver.js';

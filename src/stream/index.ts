export * from './orchestrate.js';
export * from './orchestrateFrom.js';
export * from './orchestrateConfig.js';
export * from './resultRecord.js';

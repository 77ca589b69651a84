export * from './matchers.js';
export * from './scriptedModel.js';
export * from './marbles.js';
export * from './scriptedStreamingModel.js';

/**
 * `npm run bench` runs every scenario; `npm run bench -- NAME [NAME…]` runs
 * those. Prints a markdown report (machine, packages, then one section per
 * scenario) that BENCHMARKS.md is written from. `RUNS=N` changes the number of
 * repetitions (default 5).
 */
import { machine, type Scenario } from './harness.js';
import { adaptiveScenario } from './scenarios/adaptive.js';
import { emulator } from './scenarios/emulator.js';
import { hedgeScenario } from './scenarios/hedge.js';
import { hedgeFirstTokenScenario } from './scenarios/hedgeFirstToken.js';
import { memory } from './scenarios/memory.js';
import { overhead } from './scenarios/overhead.js';
import { pull } from './scenarios/pull.js';
import { quality } from './scenarios/quality.js';
import { quorum } from './scenarios/quorum.js';
import { redis } from './scenarios/redis.js';
import { sdk } from './scenarios/sdk.js';

const SCENARIOS: readonly Scenario[] = [overhead, sdk, hedgeScenario, memory, adaptiveScenario, quorum, quality, emulator, pull, redis, hedgeFirstTokenScenario];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const chosen = wanted.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => wanted.includes(s.name));
process.stdout.write(['# rx-bedrock bench', '', ...machine(), ''].join('\n') + '\n');
for (const scenario of chosen) {
  const started = performance.now();
  process.stdout.write(`## ${scenario.name}: ${scenario.title}\n\nCommand: \`npm run bench -- ${scenario.name}\`\n\n`);
  const report = await scenario.run();
  process.stdout.write(`${report.lines.join('\n')}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n\n`);
}

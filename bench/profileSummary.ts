/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the share of
 * samples spent in each function itself (self time) and in each file, so a
 * missed target can be traced to a function, a file and a share.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --expose-gc --import tsx bench/index.ts overhead
 *   node --import tsx bench/profileSummary.ts /tmp/prof/CPU.*.cpuprofile [top=30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: profileSummary.ts FILE.cpuprofile [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const frame = nodes.get(id)!.callFrame;
  const where = frame.url.split('/').slice(-3).join('/') || '(native)';
  const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  total += delta;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  byFile.set(where, (byFile.get(where) ?? 0) + delta);
});
const show = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
process.stdout.write(`${(total / 1e6).toFixed(2)} s sampled\n\nself time by function\n${show(byFunction)}\n\nself time by file\n${show(byFile)}\n`);

// A process that builds and keeps about 120 MB of small objects and as much that lives a while, as the
// CLI's analysis does, and prints its largest heap, its full collections and its young generation's
// largest size: with `grow` it first sets the CLI's heap growth, with `young` the CLI's young generation,
// with `input=N` the CLI's choice of young generation for a largest file of N characters.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { tuneForLargestFile } from '../../server/src/node/cli-tuning';
import { growHeapToTwiceLive, keepYoungGenerationAsItStarts } from '../../server/src/node/heap-growth';

if (process.argv.includes('grow')) growHeapToTwiceLive(process.execArgv, process.env.NODE_OPTIONS);
if (process.argv.includes('young')) keepYoungGenerationAsItStarts(process.execArgv, process.env.NODE_OPTIONS);
const input = process.argv.find((arg) => arg.startsWith('input='));
if (input)
  tuneForLargestFile(Number(input.slice('input='.length)), process.execArgv, process.env.NODE_OPTIONS);
const youngSize = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
const youngAtStart = youngSize();
let largestYoung = 0;
let fullCollections = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections++;
  }
});
observer.observe({ entryTypes: ['gc'] });
const ROUNDS = 600;
const recent: unknown[] = [];
const kept: { at: number; next: unknown }[][] = [];
let largestHeap = 0;
for (let i = 0; i < ROUNDS; i++) {
  kept.push(Array.from({ length: 5000 }, (_, at) => ({ at, next: undefined })));
  // As much again that lives a while and is then dropped (documents read, kept by a cache, evicted).
  recent.push(Array.from({ length: 5000 }, (_, at) => ({ at, next: i })));
  if (recent.length > 150) recent.shift();
  largestHeap = Math.max(largestHeap, process.memoryUsage().heapTotal);
  largestYoung = Math.max(largestYoung, youngSize());
}
// gc entries reach the observer in a later task.
setTimeout(() => {
  observer.disconnect();
  process.stdout.write(
    JSON.stringify({ largestHeap, fullCollections, youngAtStart, largestYoung, kept: kept.length }),
  );
}, 100);

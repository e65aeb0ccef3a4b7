// Preloaded (node --expose-gc --import) into the service of the RSS flatness run only: on SIGUSR2
// it runs a full garbage collection, then appends the live heap it left and, half a second later,
// the process's RSS to BENCH_GC_PROBE_FILE, one JSON line each. Memory that survives a full collection is what the
// service keeps; between collections RSS also holds garbage not yet collected.
import { appendFileSync } from 'node:fs';

const out = process.env.BENCH_GC_PROBE_FILE;
const RELEASE_DELAY_MS = 500;
if (out) {
  // Installed whenever the file is given: SIGUSR2 would otherwise end the process.
  process.on('SIGUSR2', () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (!collect) return appendFileSync(out, `${JSON.stringify({ error: 'start node with --expose-gc' })}\n`);
    collect();
    const { heapUsed } = process.memoryUsage();
    // V8 hands the freed pages back to the system a little after the collection, not during it.
    setTimeout(() => {
      const { rss } = process.memoryUsage();
      appendFileSync(out, `${JSON.stringify({ rssMiB: rss / 2 ** 20, heapUsedMiB: heapUsed / 2 ** 20 })}\n`);
    }, RELEASE_DELAY_MS);
  });
}

// The hardening probes (bench/probes/README.md): `npm run probe -- <name> [express|fastify|both]`.
// Each starts the built service (dist/main.js) as a child process on a fresh PostgreSQL database,
// measures, prints its figures with the command and where they were measured, and cleans up (the
// servers stopped, the databases dropped, temp files removed), also on failure or ^C.
import { bulkReplay } from './bulk-replay.js';
import { cleanupAll, context, interrupt, messageOf, progress, type Platform } from './common.js';
import { databaseWriteTimeout } from './database-write-timeout.js';
import { inboxRetention } from './inbox-retention.js';
import { listenerBudget } from './listener-budget.js';
import { projectionRebuild } from './projection-rebuild.js';
import { refuseBeforeReading } from './refuse-before-reading.js';
import { requestTimeout } from './request-timeout.js';

// `httpFree`: measured in-process, without the HTTP server: run once, whatever the platform.
const PROBES: Record<string, { item: string; run: (platform: Platform) => Promise<string[]>; httpFree?: boolean }> = {
  'refuse-before-reading': { item: 'issue 17, item 4: refused before the body is read', run: refuseBeforeReading },
  'request-timeout': { item: 'issue 17, item 6: REQUEST_TIMEOUT_MS and MAX_CONNECTIONS', run: requestTimeout },
  'database-write-timeout': { item: 'issue 17, item 7: DATABASE_WRITE_TIMEOUT_MS with a database that stops answering', run: databaseWriteTimeout },
  'listener-budget': { item: 'issue 17, item 11: LISTENER_BUDGET_MS with a slow listener', run: listenerBudget },
  'bulk-replay': { item: 'issue 20, item 3: live callbacks while a bulk replay runs', run: bulkReplay },
  'inbox-retention': { item: 'issue 20, item 2: callbacks during a purge of 1,000,000 rows (INBOX_RETENTION_DAYS)', run: inboxRetention },
  'projection-rebuild': { item: 'issue 20, item 1: rebuild rate on PostgreSQL and PGlite', run: projectionRebuild, httpFree: true },
};

function usage(): string {
  return `usage: npm run probe -- <${Object.keys(PROBES).join('|')}|all> [express|fastify|both]`;
}

let interrupted = false;

async function main(): Promise<number> {
  const [name, which = 'both'] = process.argv.slice(2);
  if (!name || (name !== 'all' && !(name in PROBES)) || !['express', 'fastify', 'both'].includes(which)) {
    console.error(usage());
    return 2;
  }
  const platforms: Platform[] = which === 'both' ? ['express', 'fastify'] : [which as Platform];
  let failed = false;
  for (const probe of name === 'all' ? Object.keys(PROBES) : [name]) {
    const { item, run, httpFree } = PROBES[probe]!;
    const heading = [`## ${probe} (${item})`, `command: npm run probe -- ${probe}${which === 'both' ? '' : ` ${which}`}`, `measured: ${context()}`];
    const sections: string[] = [];
    for (const platform of httpFree ? platforms.slice(0, 1) : platforms) {
      if (interrupted) break;
      progress(`${probe} on ${platform}`);
      const started = Date.now();
      try {
        const lines = await run(platform);
        sections.push(`### ${platform} (${((Date.now() - started) / 1000).toFixed(0)} s)`, ...lines);
      } catch (error) {
        failed = true;
        sections.push(`### ${platform}: FAILED: ${messageOf(error)}`);
        progress(`${probe} on ${platform} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        await cleanupAll();
      }
    }
    console.log(`\n${[...heading, ...sections].join('\n')}\n`);
  }
  return failed ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    interrupt();
    progress(`${signal}: stopping the servers, dropping the databases`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`[probe] ${messageOf(error)}`);
    await cleanupAll();
    process.exit(1);
  },
);

// Issue 20, item 1: how fast a projection rebuild feeds stored callbacks, on PostgreSQL and on
// PGlite, one callback at a time and with the default window of callbacks in flight.
// `npm run probe -- projection-rebuild` (PROBE_REBUILD_ROWS, PROBE_REBUILD_PGLITE_ROWS: volumes).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { DatabaseConnection } from '../../src/database/database.types.js';
import { appCallbackRegistry } from '../../src/testing/app-callbacks.js';
import { CALLBACK_SAMPLES, freshen } from '../../src/testing/callback-samples.js';
import { createDatabase, progress, ROOT, SDKAPPID, tempDir } from './common.js';

// The service as built (dist/), as `npm run projections` runs it: its migrations are found from there.
const built = <T>(path: string): Promise<T> => import(pathToFileURL(join(ROOT, 'dist', path)).href) as Promise<T>;
const { AppModule } = await built<typeof import('../../src/app.module.js')>('app.module.js');
const { DATABASE_CONNECTION } = await built<typeof import('../../src/database/database.types.js')>('database/database.types.js');
const { DEFAULT_FEED_WINDOW, ProjectionRebuildService } = await built<typeof import('../../src/projections/projection-rebuild.service.js')>('projections/projection-rebuild.service.js');
const { webhookInbox } = await built<typeof import('../../src/webhook/inbox/inbox.schema.js')>('webhook/inbox/inbox.schema.js');

const POSTGRES_ROWS = Number(process.env.PROBE_REBUILD_ROWS ?? 50_000);
const PGLITE_ROWS = Number(process.env.PROBE_REBUILD_PGLITE_ROWS ?? 20_000);
const INSERT_CHUNK = 1000;
// Fields naming a user, group or account: varied so that the callbacks touch many rows, as real traffic does.
const IDENTITY_FIELDS = ['From_Account', 'To_Account', 'Report_Account', 'Peer_Account', 'GroupId', 'Official_Account', 'Operator_Account'];

/** Stored callbacks of every modelled "after" command, round robin, each a distinct fact. */
function storedCallbacks(count: number): { command: string; payload: string }[] {
  const registry = appCallbackRegistry();
  const commands = Object.keys(CALLBACK_SAMPLES).filter((command) => registry.find(command));
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const command = commands[i % commands.length]!;
    const payload: Record<string, unknown> = freshen(CALLBACK_SAMPLES[command]!, new Date(base + i * 1000));
    for (const field of IDENTITY_FIELDS) if (typeof payload[field] === 'string') payload[field] = `${payload[field] as string}-${i % 500}`;
    return { command, payload: JSON.stringify(payload) };
  });
}

async function measure(label: string, env: Record<string, string>, rows: number): Promise<string[]> {
  for (const key of ['DATABASE_URL', 'DATA_DIR']) delete process.env[key];
  Object.assign(process.env, { SDKAPPID, WEBHOOK_RETRY_POLL_MS: '0', LOG_LEVEL: 'error', ...env });
  delete process.env.EVENT_RELAY_URL;
  const context = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    const { db } = context.get<DatabaseConnection>(DATABASE_CONNECTION);
    progress(`${label}: storing ${rows} callbacks`);
    const callbacks = storedCallbacks(rows);
    for (let at = 0; at < callbacks.length; at += INSERT_CHUNK) {
      await db.insert(webhookInbox).values(
        callbacks.slice(at, at + INSERT_CHUNK).map((callback, i) => ({
          ...callback,
          dedupeKey: `probe:${at + i}`,
          status: 'processed' as const,
          query: {},
          sdkAppId: SDKAPPID,
          attempts: 1,
        })),
      );
    }
    const service = context.get(ProjectionRebuildService);
    const lines: string[] = [];
    for (const feedWindow of [1, DEFAULT_FEED_WINDOW]) {
      progress(`${label}: rebuild all, ${feedWindow} in flight`);
      const rebuild = await service.run({ family: 'all', feedWindow });
      const seconds = (rebuild.finishedAt!.getTime() - rebuild.startedAt.getTime()) / 1000;
      lines.push(
        `- ${label}, ${rows.toLocaleString('en-US')} stored callbacks, ${feedWindow === 1 ? 'one at a time' : `${feedWindow} in flight`}: ` +
          `${rebuild.state}, ${rebuild.processed.toLocaleString('en-US')} fed (${rebuild.failed} failed) in ${seconds.toFixed(1)} s, ` +
          `**${Math.round(rebuild.ratePerSecond).toLocaleString('en-US')} callbacks/s**`,
      );
      if (rebuild.failed > 0) lines.push(`  last error: ${rebuild.lastError}`);
    }
    return lines;
  } finally {
    await context.close();
  }
}

export async function projectionRebuild(): Promise<string[]> {
  const database = await createDatabase('rebuild');
  return [
    ...(await measure('PostgreSQL', { DATABASE_URL: database.url }, POSTGRES_ROWS)),
    ...(await measure('PGlite', { DATA_DIR: tempDir('probe-rebuild-') }, PGLITE_ROWS)),
  ];
}

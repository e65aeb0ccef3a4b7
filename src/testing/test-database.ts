import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabaseConnection } from '../database/database.types.js';
import { MIGRATIONS_FOLDER, openDatabase } from '../database/open-database.js';

export type TestDriver = 'pglite' | 'postgres';

/** Which database the current test project runs on (set by test/setup/use-*.ts). */
export function testDriver(): TestDriver {
  return process.env.TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite';
}

/** A migrated PGlite dump, keyed by the migrations' content so a new migration makes a new one. */
export function pgliteTemplatePath(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(readFileSync(join(MIGRATIONS_FOLDER, file)));
  }
  return join(tmpdir(), `tcw-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
}

export async function ensurePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return path;
  const client = new PGlite();
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await client.dumpDataDir('none');
  await client.close();
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path);
  return path;
}

/** A database of its own for one test file: in-memory PGlite from the template, or a fresh PostgreSQL database. */
export interface TestDatabase {
  readonly driver: TestDriver;
  /** For PostgreSQL: the URL of this file's database (so a test can start the real server on it). */
  readonly url: string | undefined;
  open(): Promise<DatabaseConnection>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDriver() === 'pglite') {
    const template = readFileSync(await ensurePgliteTemplate());
    return {
      driver: 'pglite',
      url: undefined,
      open: () => openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([template]), migrate: false }),
      drop: async () => undefined,
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the postgres test project');
  const name = `tcw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let migrated = false;
  return {
    driver: 'postgres',
    url: url.toString(),
    open: async () => {
      const connection = await openDatabase({ databaseUrl: url.toString(), migrate: !migrated });
      migrated = true;
      return connection;
    },
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

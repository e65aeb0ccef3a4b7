import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from './open-database.js';
import { queryableJsonText } from './queryable-json.js';

const BACKFILL_MIGRATION = '0005_inbox_payload_as_received';

/** JSON texts as a body could spell them: each is valid JSON. */
const TEXTS = [
  '{"Text":"plain"}',
  '{"Text":"a\\u0000b"}',
  '{"Text":"\\u0000\\u0000"}',
  '{"Text":"a\\ud800b"}',
  '{"Text":"a\\uDC00b"}',
  '{"Text":"\\ud800\\ud800\\udc00"}',
  '{"Text":"\\udc00\\ud800"}',
  '{"Text":"pair \\ud83d\\ude00 kept"}',
  '{"Text":"PAIR \\uD83D\\uDE00 kept"}',
  '{"Text":"escaped backslash, then u0000: \\\\u0000"}',
  '{"Text":"escaped backslash, then an escape: \\\\\\u0000"}',
  '{"Text":"other escapes \\" \\\\ \\/ \\n \\t \\u0041 \\u00e9 \\u2028"}',
  '{\n  "Text": "across\\nlines \\u0000",\n  "N": 1\n}',
  '{"Key\\u0000":"in a key"}',
  '{"A":"\\ud800","B":"x","C":{"D":"\\u0000"}}',
];

/** The value with NUL and lone surrogates replaced by U+FFFD, in keys and in strings. */
function replacingUnqueryable(value: unknown): unknown {
  const clean = (s: string): string => s.replaceAll('\u0000', '\ufffd').replaceAll(/\p{Cs}/gu, '\ufffd');
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map(replacingUnqueryable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), replacingUnqueryable(v)]));
  return value;
}

describe('queryableJsonText', () => {
  it('writes \\u0000 and lone surrogates as \\ufffd and keeps every other escape', () => {
    expect(queryableJsonText('{"Text":"a\\u0000b","Pair":"\\ud83d\\ude00","Lone":"\\udc00","Bs":"\\\\u0000"}')).toBe(
      '{"Text":"a\\ufffdb","Pair":"\\ud83d\\ude00","Lone":"\\ufffd","Bs":"\\\\u0000"}',
    );
  });

  it('gives JSON that parses to the same value but for those characters', () => {
    for (const text of TEXTS) {
      expect([text, JSON.parse(queryableJsonText(text))]).toEqual([text, replacingUnqueryable(JSON.parse(text))]);
    }
  });

  describe('on PostgreSQL', () => {
    let db: PGlite;
    beforeAll(async () => {
      db = new PGlite();
      await db.waitReady;
    });
    afterAll(async () => db.close());

    it('makes every text readable with the JSON operators, which refuse the original', async () => {
      for (const text of TEXTS.filter((t) => queryableJsonText(t) !== t)) {
        await expect(db.query(`SELECT $1::json ->> 'Text' AS v`, [text])).rejects.toThrow(/Unicode|json/);
        await expect(db.query(`SELECT ($1::json)::jsonb AS v`, [queryableJsonText(text)])).resolves.toBeTruthy();
      }
    });

    it("agrees with the function migration 0005 rewrites older rows with", async () => {
      const statements = readFileSync(join(MIGRATIONS_FOLDER, `${BACKFILL_MIGRATION}.sql`), 'utf8').split('--> statement-breakpoint');
      const createFunction = statements.find((s) => s.includes('CREATE FUNCTION pg_temp.queryable_json_text'));
      if (!createFunction) throw new Error(`${BACKFILL_MIGRATION}.sql no longer creates pg_temp.queryable_json_text`);
      await db.exec(createFunction);
      for (const text of TEXTS) {
        const { rows } = await db.query<{ v: string }>('SELECT pg_temp.queryable_json_text($1) AS v', [text]);
        expect([text, rows[0]?.v]).toEqual([text, queryableJsonText(text)]);
      }
    });
  });
});

describe(`migration ${BACKFILL_MIGRATION}`, () => {
  let folder: string;
  let db: PGlite;
  beforeAll(async () => {
    // The migrations before it, then rows as the service stored them then, then the migration.
    folder = mkdtempSync(join(tmpdir(), 'tcw-migrations-'));
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === BACKFILL_MIGRATION);
    expect(upTo).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    db = new PGlite();
    await migrate(drizzle(db), { migrationsFolder: folder });
  });
  afterAll(async () => {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('makes older rows queryable and keeps their bodies exactly', async () => {
    const bodies = TEXTS.map((t) => t.replace('{', '{"From_Account":"jared",'));
    for (const body of bodies) {
      await db.query(
        `INSERT INTO webhook_inbox (command, payload, query, sdk_app_id, status) VALUES ('C2C.CallbackAfterSendMsg', $1::json, $2::json, '1400000000', 'processed')`,
        [body, JSON.stringify({ OptPlatform: 'Web\u0000' })],
      );
    }
    await migrate(drizzle(db), { migrationsFolder: MIGRATIONS_FOLDER });

    const { rows } = await db.query<{ from: string; payload: string; as_received: string | null; platform: string }>(
      `SELECT payload ->> 'From_Account' AS from, payload::text AS payload, payload_as_received AS as_received, query ->> 'OptPlatform' AS platform FROM webhook_inbox ORDER BY id`,
    );
    expect(rows.map((r) => r.from)).toEqual(bodies.map(() => 'jared'));
    expect(rows.map((r) => r.as_received ?? r.payload)).toEqual(bodies);
    expect(rows.map((r) => r.payload)).toEqual(bodies.map(queryableJsonText));
    expect(rows.filter((r) => r.as_received !== null)).toHaveLength(bodies.filter((b) => queryableJsonText(b) !== b).length);
    expect(rows.map((r) => r.platform)).toEqual(bodies.map(() => 'Web\ufffd'));
  });
});

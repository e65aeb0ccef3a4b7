import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp } from './utils/test-app.js';
import { createTestDatabase, type TestDatabase } from './utils/test-database.js';

// On PGlite the first start runs initdb in a fresh DATA_DIR, then the database opens twice: 9 s alone
// on a 2-core machine, 39 s in CI beside the other suites (2026-12-01), past jest's 30 s default.
const RESTART_TIMEOUT_MS = 120_000;

describe('state across a restart (the production DatabaseModule, migrations at start-up)', () => {
  let env: Record<string, string>;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url) {
      env = { DATABASE_URL: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tcw-restart-'));
      env = { DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps messages, unread totals, extensions and the inbox, and still deduplicates', async () => {
    const first = await createTestApp({ env, realDatabaseModule: true });
    expect((await postCallback(first, fixture('c2c-after-send-msg'))).body).toEqual(OK);
    expect((await postCallback(first, { ...fixture('c2c-msg-extension-set'), From_Account: 'jared', To_Account: 'Jonh', MsgKey: '48374_2837546_1557481126' })).body).toEqual(OK);
    expect((await postCallback(first, fixture('official-account-after-send-msg'))).body).toEqual(OK);
    await first.close();

    const second = await createTestApp({ env, realDatabaseModule: true });
    try {
      const message = await readApi(second, '/c2c/conversations/Jonh/jared/messages/48374_2837546_1557481126');
      expect(message.status).toBe(200);
      expect(message.body.extensions).toMatchObject({ seq: 1, items: [{ key: 'k1' }, { key: 'k2' }, { key: 'k3' }] });
      expect((await readApi(second, '/c2c/users/Jonh/unread')).body).toEqual({ userId: 'Jonh', unreadMsgNum: 7 });
      expect((await readApi(second, '/official-accounts/%40TOA%23_2J4SZEAEL/messages')).body.items).toHaveLength(1);

      expect((await postCallback(second, fixture('c2c-after-send-msg'))).body).toEqual(OK);
      expect(second.events.of('c2c.message.sent')).toHaveLength(0);
    } finally {
      await second.close();
    }
  }, RESTART_TIMEOUT_MS);
});

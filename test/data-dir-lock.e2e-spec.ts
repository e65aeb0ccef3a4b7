/**
 * Embedded PGlite is one process's database: a second `node dist/main.js` on the same DATA_DIR
 * refuses to start (it used to answer OK to callbacks that were then lost), and a holder that was
 * killed leaves no lock behind that would keep the next start out.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c2cMessage, dedupeKeyOfPayload, isOkAnswer, startServer, stopAllServers } from './utils/server-process.js';

// DATA_DIR is embedded PGlite's: the PostgreSQL project has nothing to lock.
const describeOnPglite = process.env.TEST_DRIVER === 'postgres' ? describe.skip : describe;
// Three starts of dist/main.js on PGlite, the first running initdb: seconds each beside other suites.
const TIMEOUT_MS = 120_000;

describeOnPglite('one process per DATA_DIR', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tcw-lock-'));
  });
  afterEach(async () => {
    await stopAllServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process, naming DATA_DIR and the holder; takes over from a killed holder, with its data', async () => {
    const first = await startServer({ dataDir });
    const message = c2cMessage('lock', 1);
    expect(isOkAnswer(await first.postCallback(message))).toBe(true);

    const refusal = await startServer({ dataDir }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(/^server exited during start-up \(code 1,/);
    const output = refusal.split('\n').filter((line) => line.includes('DATA_DIR'));
    expect(output).toEqual([expect.stringContaining(`DATA_DIR ${dataDir} is in use by process ${first.pid}`)]);
    expect(isOkAnswer(await first.postCallback(c2cMessage('lock', 2)))).toBe(true);

    first.kill('SIGKILL');
    await first.waitForExit();
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);

    const next = await startServer({ dataDir });
    const stored = await next.get(`/webhook-events?limit=10`);
    expect(stored.status).toBe(200);
    const keys = (stored.json as { items: { dedupeKey: string }[] }).items.map((row) => row.dedupeKey);
    expect(keys).toEqual(expect.arrayContaining([dedupeKeyOfPayload(message), dedupeKeyOfPayload(c2cMessage('lock', 2))]));

    expect(await next.stop()).toMatchObject({ code: 0 });
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
  }, TIMEOUT_MS);
});

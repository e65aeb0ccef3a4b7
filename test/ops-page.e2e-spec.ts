/**
 * The operator's page (issue 20, item 4): its authentication (Basic with API_TOKEN, CSRF header for
 * state changes), GET /ops/stats, and the page itself in Debian's chromium driven by playwright-core:
 * the chart's numbers read from the page, a dead callback replayed with one click, a filtered set
 * counted then replayed (POST /ops/replays), and a projection rebuilt (POST /ops/rebuilds).
 *
 * Without chromium the browser part is skipped, unless CI=true or REQUIRE_BROWSER=1 (then it fails).
 * OPS_PAGE_SCREENSHOT=docs/images/ops-page.png also writes the README's screenshot at the end (after
 * the bulk replay and the rebuild), over a day of generated traffic.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, Module } from '@nestjs/common';
import { like, sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { webhookInbox } from '../src/database/schema.js';
import { C2CMessageRecalledEvent, C2CMessageSentEvent, OnDomainEvent } from '../src/events/index.js';
import { OPS_PAGE_PUBLIC_DIR } from '../src/ops-page/ops-page-files.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, type TestApp } from './utils/test-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSER_SOURCES = join(ROOT, 'src', 'ops-page', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BROWSER_REQUIRED = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOT = process.env.OPS_PAGE_SCREENSHOT;

const SEND = 'C2C.CallbackAfterSendMsg';
const STATE = 'State.StateChange';
const UNMODELLED = 'Example.CallbackNobodyModels';
const POISON_KEY = 'poison_1_1557481126';

const WITHDRAW = 'C2C.CallbackAfterMsgWithDraw';
/** Bulk replay: dead messages of one command, replayed by filter, and dead recalls (another command) left alone. */
const BULK_SENT_KEYS = ['bulk_1_1557481126', 'bulk_2_1557481126', 'bulk_3_1557481126'];
const BULK_RECALL_KEYS = ['recall_1_1557481126', 'recall_2_1557481126'];
/** Conversation of every message the spec sends (the fixture's). */
const FROM = 'jared';
const TO = 'Jonh';

/** A user's listener with a bug for some messages (sent or recalled), fixed later (then they can be replayed). */
@Injectable()
class Crm {
  readonly rejected = new Set([POISON_KEY]);

  @OnDomainEvent('c2c.message.sent')
  handleMessageSent(event: C2CMessageSentEvent): void {
    if (this.rejected.has(event.msgKey)) throw new Error('CRM rejected the message');
  }

  @OnDomainEvent('c2c.message.recalled')
  handleMessageRecalled(event: C2CMessageRecalledEvent): void {
    if (this.rejected.has(event.msgKey)) throw new Error('CRM rejected the recall');
  }
}
@Module({ providers: [Crm] })
class CrmModule {}

const basic = (password: string, user = 'operator'): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const sendMsg = (seq: number, msgKey = `${seq}_2837546_1557481126`): Record<string, unknown> => ({ ...fixture('c2c-after-send-msg'), MsgSeq: seq, MsgKey: msgKey });
const withdrawMsg = (msgKey: string): Record<string, unknown> => ({ ...fixture('c2c-msg-withdraw'), MsgKey: msgKey });

/** Builds the page's bundle when it is missing or older than its sources (a run from sources without `npm run build`). */
function ensureBundle(): void {
  const built = join(OPS_PAGE_PUBLIC_DIR, 'ops-page.js');
  const newestSource = Math.max(...readdirSync(BROWSER_SOURCES).map((name) => statSync(join(BROWSER_SOURCES, name)).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-ops-page.mjs')], { stdio: 'inherit' });
}

describe("the operator's page", () => {
  let t: TestApp;
  let crm: Crm;
  let poisonId: number;

  beforeAll(async () => {
    ensureBundle();
    // One attempt: the listener's failure makes the row dead at once.
    // A slow bulk replay (3 callbacks take about a second): the page shows it running, then done.
    t = await createTestApp({ imports: [CrmModule], env: { WEBHOOK_RETRY_MAX_ATTEMPTS: '1', INBOX_REPLAY_RATE_PER_SECOND: '4' } });
    crm = t.app.get(Crm);
    for (const payload of [sendMsg(1), sendMsg(2), sendMsg(3), sendMsg(4, POISON_KEY), fixture('state-change'), { ...fixture('state-change'), EventTime: 1557481127000 }, { CallbackCommand: UNMODELLED, GroupId: '@TGS#1' }]) {
      expect((await postCallback(t, payload)).body).toEqual(OK);
    }
    const [poison] = await t.db.select({ id: webhookInbox.id, status: webhookInbox.status }).from(webhookInbox).where(like(webhookInbox.dedupeKey, `%${POISON_KEY}%`));
    expect(poison?.status).toBe('dead');
    poisonId = poison!.id;
    // The first message came three hours ago: an earlier bucket of the chart.
    await t.db.execute(sql`update webhook_inbox set received_at = received_at - interval '3 hours' where id = (select min(id) from webhook_inbox)`);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('authentication', () => {
    it('answers /ops without credentials 401 with a Basic challenge (the browser asks), in the envelope', async () => {
      for (const authorization of [undefined, basic('wrong-token'), 'Basic !!!', basic('').replace('Basic ', 'Basic x')]) {
        const call = request(t.server).get('/ops');
        const answer = await (authorization ? call.set('Authorization', authorization) : call);
        expect({ status: answer.status, challenge: answer.headers['www-authenticate'], body: answer.body as unknown }).toEqual({
          status: 401,
          challenge: 'Basic realm="Tencent Chat webhooks operations", charset="UTF-8"',
          body: expect.objectContaining({ ActionStatus: 'FAIL' }),
        });
      }
      // API routes refuse without prompting a browser.
      const api = await request(t.server).get('/webhook-events');
      expect({ status: api.status, challenge: api.headers['www-authenticate'] }).toEqual({ status: 401, challenge: undefined });
    });

    it('serves the page and its routes with Basic (any user name, API_TOKEN as password) or Bearer', async () => {
      const page = await request(t.server).get('/ops').set('Authorization', basic(TEST_API_TOKEN, 'anyone'));
      expect({ status: page.status, type: page.headers['content-type'], frame: page.headers['x-frame-options'], script: /<script type="module" src="\/ops\/assets\/ops-page\.js">/.test(page.text) }).toEqual({
        status: 200,
        type: 'text/html; charset=utf-8',
        frame: 'DENY',
        script: true,
      });
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const script = await request(t.server).get('/ops/assets/ops-page.js').set('Authorization', `Bearer ${TEST_API_TOKEN}`);
      expect({ status: script.status, type: script.headers['content-type'] }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
      const list = await request(t.server).get('/webhook-events?status=dead').set('Authorization', basic(TEST_API_TOKEN));
      expect({ status: list.status, ids: (list.body as { items: { id: number }[] }).items.map((i) => i.id) }).toEqual({ status: 200, ids: [poisonId] });
      const unknown = await request(t.server).get('/ops/assets/..%2F..%2Fpackage.json').set('Authorization', `Bearer ${TEST_API_TOKEN}`);
      expect(unknown.status).toBe(404);
    });

    it('refuses a state change authenticated by Basic without X-Ops-Request (CSRF), and leaves the row as it was', async () => {
      const forged = await request(t.server).post(`/webhook-events/${poisonId}/replay`).set('Authorization', basic(TEST_API_TOKEN));
      expect({ status: forged.status, body: forged.body as unknown }).toEqual({
        status: 403,
        body: { ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.stringContaining('X-Ops-Request: 1') },
      });
      const wrongValue = await request(t.server).post(`/webhook-events/${poisonId}/replay`).set('Authorization', basic(TEST_API_TOKEN)).set('X-Ops-Request', 'yes');
      expect(wrongValue.status).toBe(403);
      expect((await readApi(t, `/webhook-events/${poisonId}`)).body).toMatchObject({ status: 'dead', attempts: 1 });
    });
  });

  describe('GET /ops/stats', () => {
    it('counts the callbacks per command and status in buckets of the window', async () => {
      const answer = await readApi(t, '/ops/stats?hours=24');
      const body = answer.body as { bucketSeconds: number; buckets: string[]; series: { command: string; status: string; counts: number[]; total: number }[] };
      expect({ status: answer.status, bucketSeconds: body.bucketSeconds, buckets: body.buckets.length }).toEqual({ status: 200, bucketSeconds: 3600, buckets: 25 });
      expect(body.series.map(({ command, status, total }) => ({ command, status, total }))).toEqual([
        { command: SEND, status: 'dead', total: 1 },
        { command: SEND, status: 'processed', total: 3 },
        { command: UNMODELLED, status: 'unhandled', total: 1 },
        { command: STATE, status: 'processed', total: 2 },
      ]);
      // The message of three hours ago in its hour, the others in the current (last) one.
      const sent = body.series.find((s) => s.command === SEND && s.status === 'processed')!;
      const hourOf = (iso: string): number => Math.floor(Date.parse(iso) / 3_600_000);
      const [first] = await t.db.select({ receivedAt: webhookInbox.receivedAt }).from(webhookInbox).orderBy(webhookInbox.id).limit(1);
      const threeHoursAgo = body.buckets.findIndex((bucket) => hourOf(bucket) === hourOf(first!.receivedAt.toISOString()));
      expect(threeHoursAgo).toBeGreaterThanOrEqual(body.buckets.length - 5);
      expect(sent.counts.map((count, i) => (count > 0 ? [i, count] : null)).filter(Boolean)).toEqual([[threeHoursAgo, 1], [body.buckets.length - 1, 2]]);
      expect(body.series.filter((s) => s !== sent).every((s) => s.counts.at(-1) === s.total)).toBe(true);
      expect((await readApi(t, '/ops/stats?hours=1')).body).toMatchObject({ bucketSeconds: 60, buckets: expect.any(Array) });
    });

    it('answers 400 for a window it does not serve', async () => {
      for (const hours of ['0', '169', 'day', '1.5']) {
        const answer = await readApi(t, `/ops/stats?hours=${hours}`);
        expect({ hours, status: answer.status, info: (answer.body as { ErrorInfo: string }).ErrorInfo }).toEqual({ hours, status: 400, info: 'hours must be an integer from 1 to 168' });
      }
    });
  });

  const describeInBrowser = HAVE_CHROMIUM || BROWSER_REQUIRED ? describe : describe.skip;
  describeInBrowser(`in chromium${HAVE_CHROMIUM || BROWSER_REQUIRED ? '' : ` [skipped: no ${CHROMIUM}; CI=true or REQUIRE_BROWSER=1 makes this a failure]`}`, () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (!HAVE_CHROMIUM) throw new Error(`chromium is required here (CI or REQUIRE_BROWSER) but ${CHROMIUM} is missing: apt-get install chromium`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
      const { port } = t.server.address() as { port: number };
      context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, httpCredentials: { username: 'operator', password: TEST_API_TOKEN }, viewport: { width: 1280, height: 1000 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('shows the callbacks per command and status that were sent, in the chart and its numbers', async () => {
      const answer = await page.goto('/ops');
      expect(answer?.status()).toBe(200);
      await page.locator('#stats-totals tr[data-command]').first().waitFor();
      const totals = await page.$$eval('#stats-totals tr[data-command]', (rows) =>
        rows.map((row) => ({ command: row.getAttribute('data-command'), status: row.getAttribute('data-status'), count: Number(row.getAttribute('data-count')) })),
      );
      expect(totals).toEqual([
        { command: SEND, status: 'dead', count: 1 },
        { command: SEND, status: 'processed', count: 3 },
        { command: UNMODELLED, status: 'unhandled', count: 1 },
        { command: STATE, status: 'processed', count: 2 },
      ]);
      // The chart drew one line per status, and its points (the numbers table) add up to the same.
      expect(await page.locator('#chart canvas').count()).toBe(1);
      const plotted = await page.$$eval('#chart-data td[data-status]', (cells) => {
        const sums: Record<string, number> = {};
        for (const cell of cells) sums[cell.getAttribute('data-status')!] = (sums[cell.getAttribute('data-status')!] ?? 0) + Number(cell.textContent);
        return sums;
      });
      expect(plotted).toEqual({ processed: 5, unhandled: 1, dead: 1 });
      // Choosing a command narrows both.
      await page.selectOption('#stats-command', STATE);
      expect(await page.$$eval('#stats-totals tr[data-command]', (rows) => rows.map((row) => `${row.getAttribute('data-command')} ${row.getAttribute('data-status')} ${row.getAttribute('data-count')}`))).toEqual([
        `${STATE} processed 2`,
      ]);
      await page.selectOption('#stats-command', '');
      await expect(page.locator('#relay-state').textContent()).resolves.toContain('Relay off');
    });

    it('lists the dead callback with its last error, and replays it with one click once the listener is fixed', async () => {
      const row = page.locator(`#problem-rows tr[data-id="${poisonId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('dead');
      expect(await row.locator('td.error').textContent()).toBe('Error: CRM rejected the message');
      crm.rejected.delete(POISON_KEY);
      // From here on only what the page does after a click shows a change: no periodic refresh.
      await page.uncheck('#auto-refresh');

      await row.getByRole('button', { name: `Replay callback ${poisonId}` }).click();

      await page.locator(`#problem-rows tr[data-id="${poisonId}"][data-status="processed"]`).waitFor();
      expect(await page.locator('#problems-message').textContent()).toBe(`Callback ${poisonId} replayed: processed.`);
      expect((await readApi(t, `/webhook-events/${poisonId}`)).body).toMatchObject({ id: poisonId, status: 'processed', attempts: 2, lastError: null });
      // The next refresh counts it as processed.
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await page.locator(`#stats-totals tr[data-command="${SEND}"][data-status="processed"][data-count="4"]`).waitFor();
      expect(await page.locator(`#stats-totals tr[data-command="${SEND}"][data-status="dead"]`).count()).toBe(0);
      expect(pageErrors).toEqual([]);
      expect(await page.locator('#page-message').isHidden()).toBe(true);
    });

    it('counts a filtered set (dry run), replays it on confirmation, and follows the job to done', async () => {
      for (const key of [...BULK_SENT_KEYS, ...BULK_RECALL_KEYS]) crm.rejected.add(key);
      for (const [i, key] of BULK_SENT_KEYS.entries()) expect((await postCallback(t, sendMsg(10 + i, key))).body).toEqual(OK);
      for (const key of BULK_RECALL_KEYS) expect((await postCallback(t, withdrawMsg(key))).body).toEqual(OK);
      const idsOf = async (keys: string[]): Promise<number[]> => {
        const ids: number[] = [];
        for (const key of keys) {
          const rows = await t.db.select({ id: webhookInbox.id, status: webhookInbox.status }).from(webhookInbox).where(like(webhookInbox.dedupeKey, `%${key}%`));
          expect(rows.map((row) => row.status)).toEqual(['dead']);
          ids.push(rows[0]!.id);
        }
        return ids;
      };
      const sentIds = await idsOf(BULK_SENT_KEYS);
      const recallIds = await idsOf(BULK_RECALL_KEYS);
      crm.rejected.clear(); // the fix: a replay of any of them would now process it
      // Auto-refresh is off: only the page's following of its job may show the job's progress.
      expect(await page.isChecked('#auto-refresh')).toBe(false);

      await page.uncheck('#replay-form input[name="status"][value="failed"]');
      await page.fill('#replay-form input[name="command"]', SEND);
      await page.getByRole('button', { name: 'Count matching callbacks' }).click();
      await page.locator('#replay-confirm').waitFor();
      expect(await page.locator('#replay-confirm-text').textContent()).toBe(`${BULK_SENT_KEYS.length} callbacks match (dead ${BULK_SENT_KEYS.length}).`);

      await page.getByRole('button', { name: `Replay ${BULK_SENT_KEYS.length} callbacks` }).click();
      // Seen running (the rate makes it last about a second), then done, without a page refresh.
      const job = page.locator(`#replay-jobs tr[data-command="${SEND}"]`);
      await page.locator(`#replay-jobs tr[data-command="${SEND}"][data-state="running"]`).waitFor();
      await page.locator(`#replay-jobs tr[data-command="${SEND}"][data-state="done"]`).waitFor();
      expect(await job.locator('td.progress').textContent()).toBe(` ${BULK_SENT_KEYS.length} / ${BULK_SENT_KEYS.length}processed ${BULK_SENT_KEYS.length}`);
      expect(await job.locator('td').nth(1).textContent()).toBe(`status dead · ${SEND}`);
      expect(await page.locator('#replay-message').textContent()).toMatch(new RegExp(`^Replay \\d+ started: ${BULK_SENT_KEYS.length} callbacks\\.$`));

      for (const id of sentIds) expect((await readApi(t, `/webhook-events/${id}`)).body).toMatchObject({ id, command: SEND, status: 'processed', attempts: 2, lastError: null });
      for (const id of recallIds) expect((await readApi(t, `/webhook-events/${id}`)).body).toMatchObject({ id, command: WITHDRAW, status: 'dead', attempts: 1, lastError: 'Error: CRM rejected the recall' });
      expect(pageErrors).toEqual([]);
    });

    it('rebuilds the c2c projections with one click, shows the rebuild done with its counts, and the messages read as before', async () => {
      const messagesBefore = await readApi(t, `/c2c/conversations/${FROM}/${TO}/messages`);
      // Every c2c callback the spec stored reaches the listeners (processed or dead): 4 + 3 messages, 2 recalls.
      const c2cFed = 4 + BULK_SENT_KEYS.length + BULK_RECALL_KEYS.length;
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });

      await page.getByRole('button', { name: 'Rebuild c2c' }).click();

      const rebuild = page.locator('#rebuild-rows tr[data-family="c2c"]');
      await page.locator('#rebuild-rows tr[data-family="c2c"][data-state="done"]').waitFor();
      expect(dialogs).toEqual(['Rebuild the c2c projections from the stored callbacks?']);
      expect(await page.locator('#rebuild-message').textContent()).toMatch(/^Rebuild \d+ of c2c started\.$/);
      expect(await rebuild.locator('td.progress').textContent()).toBe(` ${c2cFed} / ${c2cFed}`);
      expect(await rebuild.locator('td').first().textContent()).toBe('c2c');

      const messagesAfter = await readApi(t, `/c2c/conversations/${FROM}/${TO}/messages`);
      expect(messagesAfter.status).toBe(200);
      const keys = (messagesAfter.body as { items: { msgKey: string }[] }).items.map((m) => m.msgKey).sort();
      expect(keys).toEqual([...[1, 2, 3].map((seq) => `${seq}_2837546_1557481126`), POISON_KEY, ...BULK_SENT_KEYS].sort());
      expect(messagesAfter.body).toEqual(messagesBefore.body);
      expect(pageErrors).toEqual([]);
      if (SCREENSHOT) await screenshot(t, page, SCREENSHOT);
    });
  });
});

/** The README's picture: a day of generated traffic around the test's callbacks, then the page. */
async function screenshot(t: TestApp, page: Page, path: string): Promise<void> {
  // About 3,000 callbacks over the last 24 hours, busier in the afternoon; a few failed or dead.
  await t.db.execute(sql`
    insert into webhook_inbox (command, payload, query, sdk_app_id, dedupe_key, status, attempts, last_error, received_at)
    select (array['C2C.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg', 'State.StateChange', 'Group.CallbackAfterSendMsg', 'C2C.CallbackAfterMsgWithDraw'])[1 + (n % 5)],
      '{}', '{}', '1400000000', 'screenshot-' || n,
      case when n % 701 = 0 then 'dead' when n % 997 = 0 then 'failed' when n % 29 = 0 then 'unhandled' else 'processed' end,
      case when n % 701 = 0 then 8 when n % 997 = 0 then 3 else 1 end,
      case when n % 701 = 0 then 'Error: CRM is down' when n % 997 = 0 then 'TimeoutError: CRM did not answer within 5000 ms' end,
      now() - make_interval(secs => 600 + n * 20.0)
    from generate_series(1, 4200) as n
    where random() < 0.55 + 0.4 * sin(n / 700.0)`);
  await page.reload();
  await page.locator('#stats-totals tr[data-command]').first().waitFor();
  await page.locator('#problem-rows tr[data-id]').first().waitFor();
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  await page.screenshot({ path: join(ROOT, path), fullPage: true });
}

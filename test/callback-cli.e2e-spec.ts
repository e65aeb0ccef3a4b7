import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/callback.js';
import { CALLBACK_SAMPLES, freshen } from '../src/testing/callback-samples.js';
import { CallbackDecoder } from '../src/webhook/callback-decoder.js';
import { appCallbackRegistry } from '../src/testing/app-callbacks.js';
import { readApi } from './utils/callbacks.js';
import { createTestApp, TEST_SDKAPPID, type TestApp } from './utils/test-app.js';

describe('npm run callback (the callback sender)', () => {
  let t: TestApp;
  let url: string;
  const token = 'cli-token';

  beforeAll(async () => {
    t = await createTestApp({ env: { CALLBACK_AUTH_TOKEN: token } });
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}/webhook`;
  });
  afterAll(async () => {
    await t.close();
  });

  async function run(...args: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await main(args, {}, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  }

  it('has a sample for every command the project models, each valid for its DTO', async () => {
    const registry = appCallbackRegistry();
    expect(Object.keys(CALLBACK_SAMPLES).sort()).toEqual(registry.commands().sort());
    const decoder = new CallbackDecoder(registry);
    for (const [command, sample] of Object.entries(CALLBACK_SAMPLES)) {
      const decoded = await decoder.decode(command, freshen(sample));
      expect({ command, kind: decoded.kind }).toEqual({ command, kind: registry.findBefore(command) ? 'before' : 'modelled' });
    }
  });

  it('lists every command it has a sample for', async () => {
    const { code, output } = await run('list');
    expect(code).toBe(0);
    for (const command of Object.keys(CALLBACK_SAMPLES)) expect(output).toContain(command);
  });

  it('sends every sample, signed, each with a fresh identity, and each is accepted', async () => {
    for (const command of Object.keys(CALLBACK_SAMPLES)) {
      const { code, output } = await run('send', command, '--url', url, '--sdkappid', TEST_SDKAPPID, '--token', token);
      expect(output).toContain('HTTP 200');
      expect(output).toContain('"ActionStatus":"OK"');
      expect(code).toBe(0);
    }
    // Fresh ids: sending the same command twice makes two messages.
    await run('send', 'C2C.CallbackAfterSendMsg', '--url', url, '--sdkappid', TEST_SDKAPPID, '--token', token);
    expect(t.events.of('c2c.message.sent')).toHaveLength(2);
  });

  it('applies --set, and the change is what the service stores', async () => {
    const { code } = await run(
      'send', 'C2C.CallbackAfterSendMsg', '--url', url, '--sdkappid', TEST_SDKAPPID, '--token', token,
      '--set', 'MsgKey=cli_1_1', '--set', 'From_Account=cli-user', '--set', 'MsgBody.0.MsgContent.Text=hello from the CLI', '--set', 'UnreadMsgNum=3',
    );
    expect(code).toBe(0);
    const message = await readApi(t, '/c2c/conversations/cli-user/Jonh/messages/cli_1_1');
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ from: 'cli-user', unreadMsgNum: 3, body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello from the CLI' } }] });
  });

  it('sends a payload file as it is with --keep-ids', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcw-cli-')), 'payload.json');
    writeFileSync(file, JSON.stringify({ ...CALLBACK_SAMPLES['OfficialAccount.CallbackAfterSendMsg'], MsgKey: 'from_file_1' }));
    const { code } = await run('send', file, '--keep-ids', '--url', url, '--sdkappid', TEST_SDKAPPID, '--token', token);
    expect(code).toBe(0);
    expect((await readApi(t, '/official-accounts/%40TOA%23_2J4SZEAEL/messages/from_file_1')).status).toBe(200);
  });

  it('exits non-zero with the answer when the service refuses (wrong token), or the URL is unreachable', async () => {
    const refused = await run('send', 'C2C.CallbackAfterSendMsg', '--url', url, '--sdkappid', TEST_SDKAPPID, '--token', 'wrong');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('HTTP 401');
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = await run('send', 'C2C.CallbackAfterSendMsg', '--url', `http://127.0.0.1:${closedPort}/webhook`, '--sdkappid', TEST_SDKAPPID);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain(`Could not reach http://127.0.0.1:${closedPort}/webhook: ECONNREFUSED`);
  });

  it('refuses an unknown command, a missing file and a file that is not a callback, naming the problem', async () => {
    await expect(run('send', 'C2C.NoSuchCommand', '--sdkappid', TEST_SDKAPPID)).rejects.toThrow(/no sample for "C2C.NoSuchCommand"/);
    await expect(run('send', '/nonexistent/payload.json', '--sdkappid', TEST_SDKAPPID)).rejects.toThrow(/cannot read .*ENOENT/);
    const file = join(mkdtempSync(join(tmpdir(), 'tcw-cli-')), 'bad.json');
    writeFileSync(file, '[1,2]');
    await expect(run('send', file, '--sdkappid', TEST_SDKAPPID)).rejects.toThrow(/must hold a JSON object with a CallbackCommand/);
    await expect(run('send', 'C2C.CallbackAfterSendMsg')).rejects.toThrow(/--sdkappid/);
  });
});

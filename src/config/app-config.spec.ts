import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppConfig, ConfigValidationError, configWarnings, loadConfig } from './app-config.js';

const SDKAPPID = '1400000000';
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT_MAIN = join(REPO_ROOT, 'dist', 'main.js');

/** The ConfigValidationError loadConfig throws for this environment (fails the test if it does not throw). */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigValidationError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the documented defaults when only SDKAPPID is set', () => {
    const config = loadConfig({ SDKAPPID });

    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      sdkAppId: SDKAPPID,
      callbackAuthTokens: [],
      callbackMaxSkewSeconds: 60,
      databaseUrl: undefined,
      dataDir: './data',
      port: 3000,
      webhookPath: '/webhook',
      apiToken: undefined,
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'log',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ SDKAPPID, PORT: '', WEBHOOK_PATH: ' ', API_TOKEN: '', DATABASE_URL: '' });
    expect(config).toMatchObject({ callbackAuthTokens: [], port: 3000, webhookPath: '/webhook', apiToken: undefined, databaseUrl: undefined });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      SDKAPPID,
      CALLBACK_AUTH_TOKEN: 'tok-one',
      CALLBACK_MAX_SKEW_SECONDS: '30',
      DATABASE_URL: 'postgres://user@db:5432/chat',
      DATA_DIR: '/var/lib/tcw',
      PORT: '8080',
      WEBHOOK_PATH: '/hooks/tencent',
      API_TOKEN: 'read-token',
    });
    expect(config).toMatchObject({
      callbackAuthTokens: ['tok-one'],
      callbackMaxSkewSeconds: 30,
      databaseUrl: 'postgres://user@db:5432/chat',
      dataDir: '/var/lib/tcw',
      port: 8080,
      webhookPath: '/hooks/tencent',
      apiToken: 'read-token',
    });
  });

  it('throws a ConfigValidationError naming SDKAPPID when it is missing or empty', () => {
    for (const env of [{}, { SDKAPPID: '' }, { SDKAPPID: '   ' }]) {
      const error = configErrorFor(env);
      expect(error.message).toContain('SDKAPPID');
      expect(error.problems.join(' ')).toContain('SDKAPPID');
    }
  });

  it('refuses a non-numeric SDKAPPID, naming it', () => {
    expect(configErrorFor({ SDKAPPID: 'my-app' }).message).toContain('SDKAPPID');
  });

  it('splits a comma-separated CALLBACK_AUTH_TOKEN into the rotation tokens, trimmed, empty parts dropped', () => {
    expect(loadConfig({ SDKAPPID, CALLBACK_AUTH_TOKEN: ' old-token , ,new-token,' }).callbackAuthTokens).toEqual(['old-token', 'new-token']);
    expect(loadConfig({ SDKAPPID, CALLBACK_AUTH_TOKEN: 'old-token,new-token' }).callbackAuthTokens).toEqual(['old-token', 'new-token']);
  });

  // DESIGN.md section 5: "when set, Sign/RequestTime are required". A value that is set but holds
  // no token must not quietly turn the signature check off (fail open).
  it.each([',', ' , ', ',,,'])('refuses CALLBACK_AUTH_TOKEN=%j (set, but no token in it), naming it', (value) => {
    const error = configErrorFor({ SDKAPPID, CALLBACK_AUTH_TOKEN: value });
    expect(error.message).toContain('CALLBACK_AUTH_TOKEN');
  });

  // A compose file's `CALLBACK_AUTH_TOKEN: ${CALLBACK_AUTH_TOKEN:-}` sets it empty: that must not
  // turn signatures off either.
  it.each(['', ' '])('refuses CALLBACK_AUTH_TOKEN=%j (set but empty)', (value) => {
    expect(configErrorFor({ SDKAPPID, CALLBACK_AUTH_TOKEN: value }).problems).toEqual([
      'CALLBACK_AUTH_TOKEN is set but empty: give the token, or unset the variable to accept unsigned callbacks',
    ]);
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535'],
    ['PORT', '3000.5', 'PORT must be an integer from 0 to 65535'],
    ['CALLBACK_MAX_SKEW_SECONDS', 'x', 'CALLBACK_MAX_SKEW_SECONDS must be an integer number of seconds from 1 to 86400'],
    ['WEBHOOK_RETRY_BASE_DELAY_MS', '1.5', 'WEBHOOK_RETRY_BASE_DELAY_MS must be an integer number of milliseconds, 0 or more'],
    ['TRUST_PROXY', 'bogus', 'TRUST_PROXY has invalid entries: bogus (give true, false, a hop count, or addresses and CIDR ranges, loopback, linklocal, uniquelocal)'],
    ['TRUST_PROXY', 'loopback,10.0.0.0/33', 'TRUST_PROXY has invalid entries: 10.0.0.0/33 (give true, false, a hop count, or addresses and CIDR ranges, loopback, linklocal, uniquelocal)'],
    ['HTTP_PLATFORM', 'koa', 'HTTP_PLATFORM must be one of: express, fastify'],
  ])('says what is wrong with %s=%j', (name, value, problem) => {
    expect(configErrorFor({ SDKAPPID, [name]: value }).problems).toEqual([problem]);
  });

  it('reads OPS_PORT as a port (every interface) or an address and a port; unset: ops routes stay on PORT', () => {
    expect([
      loadConfig({ SDKAPPID }).opsListen,
      loadConfig({ SDKAPPID, OPS_PORT: '9090' }).opsListen,
      loadConfig({ SDKAPPID, OPS_PORT: '127.0.0.1:9090' }).opsListen,
      loadConfig({ SDKAPPID, OPS_PORT: '[::1]:9091' }).opsListen,
    ]).toEqual([undefined, { port: 9090, host: undefined }, { port: 9090, host: '127.0.0.1' }, { port: 9091, host: '::1' }]);
  });

  it.each([
    ['abc', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): abc'],
    ['0', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): 0'],
    ['65536', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): 65536'],
    ['localhost:9090', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): localhost:9090'],
    ['999.1.1.1:9090', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): 999.1.1.1:9090'],
    ['[zz]:9090', {}, 'OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): [zz]:9090'],
    ['3000', {}, 'OPS_PORT must differ from PORT (both 3000)'],
    ['8080', { PORT: '8080' }, 'OPS_PORT must differ from PORT (both 8080)'],
  ])('refuses OPS_PORT=%s, naming it', (value, more, problem) => {
    expect(configErrorFor({ SDKAPPID, OPS_PORT: value, ...more }).problems).toEqual([problem]);
  });

  it('reads TRUST_PROXY lists of names, addresses and ranges', () => {
    expect(loadConfig({ SDKAPPID, TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toBe('loopback,10.0.0.0/8,::1');
  });

  it('warns, without refusing, when callbacks are unauthenticated or API_TOKEN is short', () => {
    expect(configWarnings(loadConfig({ SDKAPPID, CALLBACK_AUTH_TOKEN: 'tok', API_TOKEN: 'a-long-enough-api-token' }))).toEqual([]);
    expect(configWarnings(loadConfig({ SDKAPPID, API_TOKEN: 'short' }))).toEqual([
      'CALLBACK_AUTH_TOKEN is not set: callbacks are not authenticated (anyone who knows the URL and SDKAPPID can post them)',
      'API_TOKEN is shorter than 16 characters: use a long random token for the read and operations APIs',
    ]);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '3000.5'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['CALLBACK_MAX_SKEW_SECONDS', 'soon'],
    ['CALLBACK_MAX_SKEW_SECONDS', '0'],
    ['CALLBACK_MAX_SKEW_SECONDS', '86401'],
    ['WEBHOOK_PATH', 'webhook'],
    ['WEBHOOK_PATH', '/web hook'],
    ['DATABASE_URL', 'mysql://root@db/chat'],
    ['DATABASE_URL', 'not a url'],
  ])('refuses %s=%j, naming it in the error', (name, value) => {
    const error = configErrorFor({ SDKAPPID, [name]: value });
    expect(error.message).toContain(name);
  });

  it('leaves the event relay off without EVENT_RELAY_URL, whatever the other EVENT_RELAY_* say', () => {
    expect(loadConfig({ SDKAPPID }).eventRelay).toBeUndefined();
    expect(loadConfig({ SDKAPPID, EVENT_RELAY_URL: ' ', EVENT_RELAY_SUBJECT_PREFIX: 'acme' }).eventRelay).toBeUndefined();
  });

  it('reads the event relay with its documented defaults, and every EVENT_RELAY_* variable', () => {
    expect(loadConfig({ SDKAPPID, EVENT_RELAY_URL: 'nats://127.0.0.1:4222' }).eventRelay).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      subjectPrefix: 'tencent-chat',
      stream: 'TENCENT_CHAT_EVENTS',
      retention: 'limits',
      maxAgeHours: 168,
      duplicateWindowSeconds: 600,
      pollMs: 50,
    });
    expect(
      loadConfig({
        SDKAPPID,
        EVENT_RELAY_URL: 'nats://a:4222, nats://b:4222',
        EVENT_RELAY_SUBJECT_PREFIX: 'acme.chat',
        EVENT_RELAY_STREAM: 'ACME_CHAT',
        EVENT_RELAY_STREAM_RETENTION: 'interest',
        EVENT_RELAY_STREAM_MAX_AGE_HOURS: '0',
        EVENT_RELAY_DUPLICATE_WINDOW_SECONDS: '120',
        EVENT_RELAY_POLL_MS: '200',
      }).eventRelay,
    ).toEqual({ servers: ['nats://a:4222', 'nats://b:4222'], subjectPrefix: 'acme.chat', stream: 'ACME_CHAT', retention: 'interest', maxAgeHours: 0, duplicateWindowSeconds: 120, pollMs: 200 });
  });

  it.each([
    ['EVENT_RELAY_URL', 'http://127.0.0.1:4222'],
    ['EVENT_RELAY_URL', ','],
    ['EVENT_RELAY_SUBJECT_PREFIX', 'tencent chat'],
    ['EVENT_RELAY_SUBJECT_PREFIX', 'acme.>'],
    ['EVENT_RELAY_SUBJECT_PREFIX', 'acme.'],
    ['EVENT_RELAY_STREAM', 'chat.events'],
    ['EVENT_RELAY_STREAM_RETENTION', 'forever'],
    ['EVENT_RELAY_STREAM_MAX_AGE_HOURS', '-1'],
    ['EVENT_RELAY_DUPLICATE_WINDOW_SECONDS', '0'],
    ['EVENT_RELAY_POLL_MS', 'fast'],
  ])('refuses %s=%j in one line naming it', (name, value) => {
    const error = configErrorFor({ SDKAPPID, EVENT_RELAY_URL: 'nats://127.0.0.1:4222', [name]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(name);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a duplicate window longer than the stream keeps messages', () => {
    const error = configErrorFor({ SDKAPPID, EVENT_RELAY_URL: 'nats://127.0.0.1:4222', EVENT_RELAY_STREAM_MAX_AGE_HOURS: '1', EVENT_RELAY_DUPLICATE_WINDOW_SECONDS: '7200' });
    expect(error.problems).toEqual(['EVENT_RELAY_DUPLICATE_WINDOW_SECONDS (7200) must not exceed EVENT_RELAY_STREAM_MAX_AGE_HOURS (1 h)']);
  });

  it('reads INBOX_REPLAY_RATE_PER_SECOND (default 200) and refuses a malformed one naming it', () => {
    expect(loadConfig({ SDKAPPID }).inboxReplayRatePerSecond).toBe(200);
    expect(loadConfig({ SDKAPPID, INBOX_REPLAY_RATE_PER_SECOND: '50' }).inboxReplayRatePerSecond).toBe(50);
    for (const value of ['0', 'fast', '2.5', '100001']) {
      expect(configErrorFor({ SDKAPPID, INBOX_REPLAY_RATE_PER_SECOND: value }).problems).toEqual([
        'INBOX_REPLAY_RATE_PER_SECOND must be an integer number of callbacks per second from 1 to 100000',
      ]);
    }
  });

  it('keeps every inbox row without INBOX_RETENTION_DAYS, and reads the retention settings with their defaults', () => {
    expect(loadConfig({ SDKAPPID }).retention).toEqual({ days: undefined, batchSize: 1000, pauseMs: 100, intervalSeconds: 3600 });
    expect(
      loadConfig({ SDKAPPID, INBOX_RETENTION_DAYS: '30', INBOX_RETENTION_BATCH_SIZE: '500', INBOX_RETENTION_PAUSE_MS: '0', INBOX_RETENTION_INTERVAL_SECONDS: '600' }).retention,
    ).toEqual({ days: 30, batchSize: 500, pauseMs: 0, intervalSeconds: 600 });
  });

  it.each([
    ['INBOX_RETENTION_DAYS', '0'],
    ['INBOX_RETENTION_DAYS', '30d'],
    ['INBOX_RETENTION_DAYS', '-7'],
    ['INBOX_RETENTION_DAYS', '1.5'],
    ['INBOX_RETENTION_BATCH_SIZE', '0'],
    ['INBOX_RETENTION_PAUSE_MS', 'slow'],
    ['INBOX_RETENTION_INTERVAL_SECONDS', '0'],
  ])('refuses %s=%j in one line naming it', (name, value) => {
    const error = configErrorFor({ SDKAPPID, [name]: value });
    expect(error.problems).toEqual([expect.stringContaining(name)]);
  });

  it('names every invalid variable at once', () => {
    const error = configErrorFor({ SDKAPPID, PORT: 'abc', WEBHOOK_PATH: 'webhook' });
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('WEBHOOK_PATH');
  });
});

describe('the built server (node dist/main.js)', () => {
  const builtIt = existsSync(BUILT_MAIN) ? it : it.skip;
  const suffix = existsSync(BUILT_MAIN) ? '' : ' [SKIPPED: dist/main.js does not exist; run `npm run build` first]';

  builtIt(`exits non-zero with one stderr line naming SDKAPPID when SDKAPPID is unset${suffix}`, () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SDKAPPID;

    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 20_000 });

    expect(result.error).toBeUndefined();
    expect(result.signal).toBeNull(); // not killed by the timeout: it stopped by itself
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SDKAPPID');
  });

  builtIt(`exits 1 with one plain line naming DATABASE_URL's host, port and database, never its password, when the database cannot be reached${suffix}`, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SDKAPPID, DATABASE_URL: 'postgres://app:s3cret-pass@127.0.0.1:1/chat', PORT: '0', LOG_LEVEL: 'log' };

    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 20_000 });

    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    const output = `${result.stdout}${result.stderr}`;
    expect(output.split('\n').filter((line) => line.trim() !== '')).toEqual([
      expect.stringMatching(/^Failed to start: DATABASE_URL: cannot open postgres:\/\/127\.0\.0\.1:1\/chat: connect ECONNREFUSED/),
    ]);
    expect(output).not.toContain('s3cret-pass');
    expect(output).not.toContain('\u001b[');
  });
});

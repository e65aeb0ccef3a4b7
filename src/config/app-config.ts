import 'reflect-metadata';
import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, ValidateBy, validateSync } from 'class-validator';

export const HTTP_PLATFORMS = ['express', 'fastify'] as const;
export type HttpPlatformName = (typeof HTTP_PLATFORMS)[number];

/** JetStream retention policies (what removes a message besides the age and size limits). */
export const RELAY_RETENTIONS = ['limits', 'interest', 'workqueue'] as const;
export type RelayRetention = (typeof RELAY_RETENTIONS)[number];
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The environment as the operator writes it; validated once at boot (see loadConfig). */
class EnvironmentVariables {
  @IsString()
  @Matches(/^\d+$/, { message: 'SDKAPPID must be the numeric SDKAppID of your Chat app' })
  SDKAPPID!: string;

  @IsOptional()
  @IsString()
  CALLBACK_AUTH_TOKEN?: string;

  @IntegerVariable({ min: 1, max: 86400, unit: 'seconds' })
  CALLBACK_MAX_SKEW_SECONDS?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IntegerVariable({ min: 0, max: 65535 })
  PORT?: number;

  @IsOptional()
  @Matches(/^\/[A-Za-z0-9/_.~-]*$/, { message: 'WEBHOOK_PATH must be a path starting with /' })
  WEBHOOK_PATH?: string;

  @IsOptional()
  @IsString()
  API_TOKEN?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL?: string;

  @IntegerVariable({ min: 1, max: 100 })
  WEBHOOK_RETRY_MAX_ATTEMPTS?: number;

  @IntegerVariable({ min: 0, unit: 'milliseconds' })
  WEBHOOK_RETRY_BASE_DELAY_MS?: number;

  @IntegerVariable({ min: 0, unit: 'milliseconds' })
  WEBHOOK_RETRY_MAX_DELAY_MS?: number;

  @IntegerVariable({ min: 0, unit: 'milliseconds', note: '0: no periodic retry' })
  WEBHOOK_RETRY_POLL_MS?: number;

  @IntegerVariable({ min: 1, max: 3600, unit: 'seconds' })
  WEBHOOK_LEASE_SECONDS?: number;

  @IntegerVariable({ min: 0, unit: 'milliseconds' })
  SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  CALLBACK_ALLOWED_IPS?: string;

  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IntegerVariable({ min: 100, max: 600_000, unit: 'milliseconds' })
  REQUEST_TIMEOUT_MS?: number;

  @IntegerVariable({ min: 1, max: 600_000, unit: 'milliseconds' })
  LISTENER_BUDGET_MS?: number;

  @IntegerVariable({ min: 50, max: 60_000, unit: 'milliseconds' })
  DATABASE_WRITE_TIMEOUT_MS?: number;

  @IntegerVariable({ min: 1, max: 1_000_000 })
  MAX_CONNECTIONS?: number;

  @IsOptional()
  @IsIn(HTTP_PLATFORMS, { message: `HTTP_PLATFORM must be one of: ${HTTP_PLATFORMS.join(', ')}` })
  HTTP_PLATFORM?: HttpPlatformName;

  @IntegerVariable({ min: 1, max: 2000, unit: 'milliseconds' })
  BEFORE_CALLBACK_BUDGET_MS?: number;

  @IsOptional()
  @IsString()
  OPS_PORT?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'BEFORE_CALLBACK_FAIL_CLOSED must be true or false' })
  BEFORE_CALLBACK_FAIL_CLOSED?: string;

  @IsOptional()
  @IsString()
  EVENT_RELAY_URL?: string;

  @IsOptional()
  @Matches(SUBJECT_PREFIX, { message: 'EVENT_RELAY_SUBJECT_PREFIX must be NATS subject tokens of letters, digits, _ and -, separated by dots (tencent-chat, acme.chat)' })
  EVENT_RELAY_SUBJECT_PREFIX?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'EVENT_RELAY_STREAM must be a JetStream stream name of letters, digits, _ and - (at most 64)' })
  EVENT_RELAY_STREAM?: string;

  @IsOptional()
  @IsIn(RELAY_RETENTIONS, { message: `EVENT_RELAY_STREAM_RETENTION must be one of: ${RELAY_RETENTIONS.join(', ')}` })
  EVENT_RELAY_STREAM_RETENTION?: RelayRetention;

  @IntegerVariable({ min: 0, max: 87_600, unit: 'hours', note: '0: kept until the stream\'s other limits' })
  EVENT_RELAY_STREAM_MAX_AGE_HOURS?: number;

  @IntegerVariable({ min: 1, max: 86_400, unit: 'seconds' })
  EVENT_RELAY_DUPLICATE_WINDOW_SECONDS?: number;

  @IntegerVariable({ min: 1, max: 60_000, unit: 'milliseconds' })
  EVENT_RELAY_POLL_MS?: number;

  @IntegerVariable({ min: 1, max: 100_000, unit: 'callbacks per second' })
  INBOX_REPLAY_RATE_PER_SECOND?: number;
  @IntegerVariable({ min: 1, max: 36_500, unit: 'days', note: 'unset: keep every row' })
  INBOX_RETENTION_DAYS?: number;

  @IntegerVariable({ min: 1, max: 100_000 })
  INBOX_RETENTION_BATCH_SIZE?: number;

  @IntegerVariable({ min: 0, max: 60_000, unit: 'milliseconds' })
  INBOX_RETENTION_PAUSE_MS?: number;

  @IntegerVariable({ min: 1, max: 604_800, unit: 'seconds' })
  INBOX_RETENTION_INTERVAL_SECONDS?: number;
}

/**
 * An optional integer variable: one message that names the variable, its unit and its range, for
 * any wrong value (`abc`, `3000.5`, out of range).
 */
function IntegerVariable(range: { min: number; max?: number; unit?: string; note?: string }): PropertyDecorator {
  const { min, max, unit, note } = range;
  const bounds = max === undefined ? `, ${min} or more` : ` from ${min} to ${max}`;
  const integer = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
  return (target, property) => {
    IsOptional()(target, property);
    Transform(({ value }: { value: unknown }) => toInt(value))(target, property);
    ValidateBy({
      name: 'integerVariable',
      validator: {
        validate: (value: unknown) => integer(value) && value >= min && (max === undefined || value <= max),
        defaultMessage: (args) => `${args?.property ?? String(property)} must be an integer${unit ? ` number of ${unit}` : ''}${bounds}${note ? ` (${note})` : ''}`,
      },
    })(target, property);
  };
}

function toInt(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** The typed configuration every provider reads; nothing else in the service reads process.env but the logger's NODE_ENV. */
export class AppConfig {
  readonly sdkAppId!: string;
  /** One token, or two during a rotation. Empty: signature checks are off. */
  readonly callbackAuthTokens!: readonly string[];
  readonly callbackMaxSkewSeconds!: number;
  readonly databaseUrl!: string | undefined;
  readonly dataDir!: string;
  readonly port!: number;
  readonly webhookPath!: string;
  readonly apiToken!: string | undefined;
  readonly bodyLimitBytes!: number;
  readonly logLevel!: LogLevelName;
  readonly retry!: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number; readonly pollIntervalMs: number };
  /** How long a dispatch may hold its inbox row before another run (or instance) may take it over. */
  readonly leaseSeconds!: number;
  readonly shutdownTimeoutMs!: number;
  /** CIDR ranges callbacks may come from; empty: any address. */
  readonly allowedIps!: readonly string[];
  /** Express' `trust proxy` setting: false, true, a hop count, or a list of proxy addresses/CIDRs. */
  readonly trustProxy!: boolean | number | string;
  /** The longest a callback's answer waits for its listeners; past it, the stored callback is acknowledged and its dispatch finishes in the background. */
  readonly listenerBudgetMs!: number;
  /** The longest a callback waits for its inbox write (a free connection included) before it is answered 503. */
  readonly databaseWriteTimeoutMs!: number;
  /** A request still arriving after this is answered 408 and closed. */
  readonly requestTimeoutMs!: number;
  /** Connections beyond this many are refused (closed at once). */
  readonly maxConnections!: number;
  /** Which Nest HTTP platform serves the app (src/http). */
  readonly httpPlatform!: HttpPlatformName;
  /** Time for all decision handlers of one "before" callback; Tencent waits 2 s at most. */
  readonly beforeCallbackBudgetMs!: number;
  /** A failing or late handler blocks instead of allowing. */
  readonly beforeCallbackFailClosed!: boolean;
  /**
   * Where /metrics, /docs* and /health* are served instead of PORT (OPS_PORT); undefined: on PORT.
   * `host` undefined: every interface, as PORT.
   */
  readonly opsListen!: OpsListen | undefined;
  /** Publishing every domain event to NATS JetStream (EVENT_RELAY_URL); undefined: off. */
  readonly eventRelay!: EventRelayConfig | undefined;
  /** The most stored callbacks a bulk replay (POST /ops/replays) dispatches per second, on each instance. */
  readonly inboxReplayRatePerSecond!: number;
  /** Deleting old processed and unhandled inbox rows (INBOX_RETENTION_*). */
  readonly retention!: InboxRetentionConfig;
}

export interface InboxRetentionConfig {
  /** Processed and unhandled rows older than this many days are deleted; undefined: every row is kept. */
  readonly days: number | undefined;
  /** Rows deleted per statement (one short transaction each). */
  readonly batchSize: number;
  /** The pause between two batches, so that a long purge leaves the database to the callbacks. */
  readonly pauseMs: number;
  /** How often a pass runs (the first one shortly after start). */
  readonly intervalSeconds: number;
}

export interface EventRelayConfig {
  /** NATS server URLs (`nats://host:4222`; several, comma-separated, for a cluster). */
  readonly servers: readonly string[];
  /** Subjects are `<subjectPrefix>.<SdkAppid>.<event name>`. */
  readonly subjectPrefix: string;
  /** The JetStream stream, created at start when missing, capturing `<subjectPrefix>.>`. */
  readonly stream: string;
  readonly retention: RelayRetention;
  /** 0: no age limit. */
  readonly maxAgeHours: number;
  /** JetStream drops a message whose Nats-Msg-Id it stored within this window. */
  readonly duplicateWindowSeconds: number;
  /** How often an idle relay looks for newly processed callbacks. */
  readonly pollMs: number;
}

export interface OpsListen {
  readonly port: number;
  readonly host: string | undefined;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

const emptyToUndefined = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(
    Object.keys(new EnvironmentVariablesShape()).map((name) => [name, emptyToUndefined(env[name])]),
  );
  if (raw.SDKAPPID === undefined) throw new ConfigValidationError(['SDKAPPID is required (your Chat app\'s SDKAppID)']);
  if (env.CALLBACK_AUTH_TOKEN !== undefined && raw.CALLBACK_AUTH_TOKEN === undefined) {
    // Set but empty (a compose file's `${CALLBACK_AUTH_TOKEN:-}`): refusing to start beats silently
    // accepting unsigned callbacks.
    throw new ConfigValidationError(['CALLBACK_AUTH_TOKEN is set but empty: give the token, or unset the variable to accept unsigned callbacks']);
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`));
  }
  const tokens = (vars.CALLBACK_AUTH_TOKEN ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (vars.CALLBACK_AUTH_TOKEN !== undefined && tokens.length === 0) {
    // Set but empty after splitting (","): refusing to start beats silently turning authentication off.
    throw new ConfigValidationError(['CALLBACK_AUTH_TOKEN is set but holds no token']);
  }
  return Object.freeze(
    Object.assign(new AppConfig(), {
      sdkAppId: vars.SDKAPPID,
      callbackAuthTokens: Object.freeze(tokens),
      callbackMaxSkewSeconds: vars.CALLBACK_MAX_SKEW_SECONDS ?? 60,
      databaseUrl: vars.DATABASE_URL,
      dataDir: vars.DATA_DIR ?? './data',
      port: vars.PORT ?? 3000,
      webhookPath: vars.WEBHOOK_PATH ?? '/webhook',
      apiToken: vars.API_TOKEN,
      bodyLimitBytes: 1024 * 1024,
      logLevel: (vars.LOG_LEVEL ?? 'log') as LogLevelName,
      retry: Object.freeze({
        maxAttempts: vars.WEBHOOK_RETRY_MAX_ATTEMPTS ?? 8,
        baseDelayMs: vars.WEBHOOK_RETRY_BASE_DELAY_MS ?? 1000,
        maxDelayMs: vars.WEBHOOK_RETRY_MAX_DELAY_MS ?? 600_000,
        pollIntervalMs: vars.WEBHOOK_RETRY_POLL_MS ?? 1000,
      }),
      leaseSeconds: vars.WEBHOOK_LEASE_SECONDS ?? 30,
      shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 10_000,
      allowedIps: Object.freeze(parseAllowedIps(vars.CALLBACK_ALLOWED_IPS)),
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
      httpPlatform: vars.HTTP_PLATFORM ?? 'express',
      requestTimeoutMs: vars.REQUEST_TIMEOUT_MS ?? 30_000,
      listenerBudgetMs: vars.LISTENER_BUDGET_MS ?? 1000,
      databaseWriteTimeoutMs: vars.DATABASE_WRITE_TIMEOUT_MS ?? 1500,
      maxConnections: vars.MAX_CONNECTIONS ?? 10_000,
      beforeCallbackBudgetMs: vars.BEFORE_CALLBACK_BUDGET_MS ?? 1500,
      beforeCallbackFailClosed: vars.BEFORE_CALLBACK_FAIL_CLOSED === 'true',
      opsListen: parseOpsPort(vars.OPS_PORT, vars.PORT ?? 3000),
      eventRelay: parseEventRelay(vars),
      inboxReplayRatePerSecond: vars.INBOX_REPLAY_RATE_PER_SECOND ?? 200,
      retention: Object.freeze({
        days: vars.INBOX_RETENTION_DAYS,
        batchSize: vars.INBOX_RETENTION_BATCH_SIZE ?? 1000,
        pauseMs: vars.INBOX_RETENTION_PAUSE_MS ?? 100,
        intervalSeconds: vars.INBOX_RETENTION_INTERVAL_SECONDS ?? 3600,
      }),
    }),
  );
}

function parseAllowedIps(value: string | undefined): string[] {
  const ranges = (value ?? '').split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  const invalid = ranges.filter((range) => parseCidr(range) === undefined);
  if (invalid.length > 0) throw new ConfigValidationError([`CALLBACK_ALLOWED_IPS has invalid ranges: ${invalid.join(', ')}`]);
  if (value !== undefined && ranges.length === 0) throw new ConfigValidationError(['CALLBACK_ALLOWED_IPS is set but holds no range']);
  return ranges;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address. */
export function parseCidr(range: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = range.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maxPrefix, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return undefined;
  return { address, prefix: Number(prefixText), family };
}

/** `9090` (every interface), or an address to bind to: `127.0.0.1:9090`, `[::1]:9090`. */
function parseOpsPort(value: string | undefined, port: number): OpsListen | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:(?:\[([0-9A-Fa-f:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(\d+)$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const number = Number(match?.[3]);
  if (!match || (host !== undefined && isIP(host) === 0) || !Number.isSafeInteger(number) || number < 1 || number > 65535) {
    throw new ConfigValidationError([`OPS_PORT must be a port from 1 to 65535, or an address and a port (127.0.0.1:9090, [::1]:9090): ${value}`]);
  }
  if (number === port && port !== 0) throw new ConfigValidationError([`OPS_PORT must differ from PORT (both ${port})`]);
  return Object.freeze({ port: number, host });
}

/** EVENT_RELAY_*: undefined without EVENT_RELAY_URL (the relay is off and the other variables are ignored). */
function parseEventRelay(vars: EnvironmentVariables): EventRelayConfig | undefined {
  if (vars.EVENT_RELAY_URL === undefined) return undefined;
  const servers = vars.EVENT_RELAY_URL.split(',').map((url) => url.trim()).filter((url) => url.length > 0);
  const invalid = servers.filter((url) => !/^(nats|tls):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/.test(url));
  if (servers.length === 0 || invalid.length > 0) {
    throw new ConfigValidationError([`EVENT_RELAY_URL must be nats://host:port (several comma-separated for a cluster): ${invalid.join(', ') || vars.EVENT_RELAY_URL}`]);
  }
  const maxAgeHours = vars.EVENT_RELAY_STREAM_MAX_AGE_HOURS ?? 168;
  const duplicateWindowSeconds = vars.EVENT_RELAY_DUPLICATE_WINDOW_SECONDS ?? 600;
  if (maxAgeHours > 0 && duplicateWindowSeconds > maxAgeHours * 3600) {
    throw new ConfigValidationError([`EVENT_RELAY_DUPLICATE_WINDOW_SECONDS (${duplicateWindowSeconds}) must not exceed EVENT_RELAY_STREAM_MAX_AGE_HOURS (${maxAgeHours} h)`]);
  }
  return Object.freeze({
    servers: Object.freeze(servers),
    subjectPrefix: vars.EVENT_RELAY_SUBJECT_PREFIX ?? 'tencent-chat',
    stream: vars.EVENT_RELAY_STREAM ?? 'TENCENT_CHAT_EVENTS',
    retention: vars.EVENT_RELAY_STREAM_RETENTION ?? 'limits',
    maxAgeHours,
    duplicateWindowSeconds,
    pollMs: vars.EVENT_RELAY_POLL_MS ?? 50,
  });
}

// The names proxy-addr (Express) and Fastify both accept for ranges.
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !TRUST_PROXY_NAMES.includes(entry) && parseCidr(entry) === undefined);
  if (invalid.length > 0) {
    throw new ConfigValidationError([
      `TRUST_PROXY has invalid entries: ${invalid.map((entry) => entry || '(empty)').join(', ')} (give true, false, a hop count, or addresses and CIDR ranges, loopback, linklocal, uniquelocal)`,
    ]);
  }
  return entries.join(',');
}

/** Settings that work but deserve a warning at start-up (logged by main.ts). */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.callbackAuthTokens.length === 0) {
    warnings.push('CALLBACK_AUTH_TOKEN is not set: callbacks are not authenticated (anyone who knows the URL and SDKAPPID can post them)');
  }
  if (config.apiToken !== undefined && config.apiToken.length < 16) {
    warnings.push('API_TOKEN is shorter than 16 characters: use a long random token for the read and operations APIs');
  }
  return warnings;
}

/** Lists the variable names once, so loadConfig reads exactly the documented environment. */
class EnvironmentVariablesShape implements Record<keyof EnvironmentVariables, undefined> {
  SDKAPPID = undefined;
  CALLBACK_AUTH_TOKEN = undefined;
  CALLBACK_MAX_SKEW_SECONDS = undefined;
  DATABASE_URL = undefined;
  DATA_DIR = undefined;
  PORT = undefined;
  WEBHOOK_PATH = undefined;
  API_TOKEN = undefined;
  LOG_LEVEL = undefined;
  WEBHOOK_RETRY_MAX_ATTEMPTS = undefined;
  WEBHOOK_RETRY_BASE_DELAY_MS = undefined;
  WEBHOOK_RETRY_MAX_DELAY_MS = undefined;
  WEBHOOK_RETRY_POLL_MS = undefined;
  WEBHOOK_LEASE_SECONDS = undefined;
  SHUTDOWN_TIMEOUT_MS = undefined;
  CALLBACK_ALLOWED_IPS = undefined;
  TRUST_PROXY = undefined;
  HTTP_PLATFORM = undefined;
  REQUEST_TIMEOUT_MS = undefined;
  LISTENER_BUDGET_MS = undefined;
  DATABASE_WRITE_TIMEOUT_MS = undefined;
  MAX_CONNECTIONS = undefined;
  BEFORE_CALLBACK_BUDGET_MS = undefined;
  BEFORE_CALLBACK_FAIL_CLOSED = undefined;
  OPS_PORT = undefined;
  EVENT_RELAY_URL = undefined;
  EVENT_RELAY_SUBJECT_PREFIX = undefined;
  EVENT_RELAY_STREAM = undefined;
  EVENT_RELAY_STREAM_RETENTION = undefined;
  EVENT_RELAY_STREAM_MAX_AGE_HOURS = undefined;
  EVENT_RELAY_DUPLICATE_WINDOW_SECONDS = undefined;
  EVENT_RELAY_POLL_MS = undefined;
  INBOX_REPLAY_RATE_PER_SECOND = undefined;
  INBOX_RETENTION_DAYS = undefined;
  INBOX_RETENTION_BATCH_SIZE = undefined;
  INBOX_RETENTION_PAUSE_MS = undefined;
  INBOX_RETENTION_INTERVAL_SECONDS = undefined;
}

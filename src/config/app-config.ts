import 'reflect-metadata';
import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const HTTP_PLATFORMS = ['express', 'fastify'] as const;
export type HttpPlatformName = (typeof HTTP_PLATFORMS)[number];

/** The environment as the operator writes it; validated once at boot (see loadConfig). */
class EnvironmentVariables {
  @IsString()
  @Matches(/^\d+$/, { message: 'SDKAPPID must be the numeric SDKAppID of your Chat app' })
  SDKAPPID!: string;

  @IsOptional()
  @IsString()
  CALLBACK_AUTH_TOKEN?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'CALLBACK_MAX_SKEW_SECONDS must be an integer number of seconds' })
  @Min(1)
  @Max(86400)
  CALLBACK_MAX_SKEW_SECONDS?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
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

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'WEBHOOK_RETRY_MAX_ATTEMPTS must be an integer' })
  @Min(1)
  @Max(100)
  WEBHOOK_RETRY_MAX_ATTEMPTS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'WEBHOOK_RETRY_BASE_DELAY_MS must be an integer number of milliseconds' })
  @Min(0)
  WEBHOOK_RETRY_BASE_DELAY_MS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'WEBHOOK_RETRY_MAX_DELAY_MS must be an integer number of milliseconds' })
  @Min(0)
  WEBHOOK_RETRY_MAX_DELAY_MS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'WEBHOOK_RETRY_POLL_MS must be an integer number of milliseconds (0: no periodic retry)' })
  @Min(0)
  WEBHOOK_RETRY_POLL_MS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'WEBHOOK_LEASE_SECONDS must be an integer number of seconds' })
  @Min(1)
  @Max(3600)
  WEBHOOK_LEASE_SECONDS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(0)
  SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  CALLBACK_ALLOWED_IPS?: string;

  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsOptional()
  @IsIn(HTTP_PLATFORMS, { message: `HTTP_PLATFORM must be one of: ${HTTP_PLATFORMS.join(', ')}` })
  HTTP_PLATFORM?: HttpPlatformName;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toInt(value))
  @IsInt({ message: 'BEFORE_CALLBACK_BUDGET_MS must be an integer number of milliseconds' })
  @Min(1)
  @Max(2000)
  BEFORE_CALLBACK_BUDGET_MS?: number;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'BEFORE_CALLBACK_FAIL_CLOSED must be true or false' })
  BEFORE_CALLBACK_FAIL_CLOSED?: string;
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
  /** Which Nest HTTP platform serves the app (src/http). */
  readonly httpPlatform!: HttpPlatformName;
  /** Time for all decision handlers of one "before" callback; Tencent waits 2 s at most. */
  readonly beforeCallbackBudgetMs!: number;
  /** A failing or late handler blocks instead of allowing. */
  readonly beforeCallbackFailClosed!: boolean;
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
      beforeCallbackBudgetMs: vars.BEFORE_CALLBACK_BUDGET_MS ?? 1500,
      beforeCallbackFailClosed: vars.BEFORE_CALLBACK_FAIL_CLOSED === 'true',
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

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
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
  BEFORE_CALLBACK_BUDGET_MS = undefined;
  BEFORE_CALLBACK_FAIL_CLOSED = undefined;
}

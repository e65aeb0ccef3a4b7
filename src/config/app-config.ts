import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

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
}

function toInt(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** The typed configuration every provider reads; nothing else touches process.env. */
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
    }),
  );
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
}

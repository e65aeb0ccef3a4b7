import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DATABASE_CONNECTION, DRIZZLE, DURABLE_DRIZZLE, type Database, type DatabaseConnection } from './database.types.js';
import { DataDirInUseError } from './data-dir-lock.js';
import { openDatabase } from './open-database.js';

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<DatabaseConnection> => {
        let connection: DatabaseConnection;
        try {
          connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        } catch (error) {
          throw new DatabaseStartError(config, error);
        }
        new Logger('Database').log(
          connection.driver === 'postgres' ? 'Connected to PostgreSQL (DATABASE_URL)' : `Embedded PGlite in ${config.dataDir}`,
        );
        return connection;
      },
    },
    {
      provide: DRIZZLE,
      inject: [DATABASE_CONNECTION],
      useFactory: (connection: DatabaseConnection): Database => connection.db,
    },
    {
      provide: DURABLE_DRIZZLE,
      inject: [DATABASE_CONNECTION],
      useFactory: (connection: DatabaseConnection): Database => connection.durableDb,
    },
  ],
  exports: [DRIZZLE, DURABLE_DRIZZLE, DATABASE_CONNECTION],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The database could not be opened at start-up: which setting, where (never the URL's password), why. */
export class DatabaseStartError extends Error {
  constructor(config: AppConfig, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      cause instanceof DataDirInUseError
        ? reason
        : config.databaseUrl
          ? `DATABASE_URL: cannot open ${safeLocation(config.databaseUrl)}: ${reason}`
          : `DATA_DIR ${config.dataDir}: cannot open the embedded database: ${reason}`,
      { cause },
    );
    this.name = 'DatabaseStartError';
  }
}

/** postgres://host:port/database, without user or password. */
function safeLocation(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.protocol}//${url.hostname}:${url.port || '5432'}/${decodeURIComponent(url.pathname.slice(1))}`;
  } catch {
    return 'the PostgreSQL server (the URL does not parse)';
  }
}

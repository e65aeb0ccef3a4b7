import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DATABASE_CONNECTION, DRIZZLE, DURABLE_DRIZZLE, type Database, type DatabaseConnection } from './database.types.js';
import { openDatabase } from './open-database.js';

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<DatabaseConnection> => {
        const connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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

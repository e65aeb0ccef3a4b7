// `npm run db:migrate`: apply the committed migrations without starting the service (the service
// also applies them at start-up). Uses DATABASE_URL, else the embedded database under DATA_DIR.
import { openDatabase } from './open-database.js';

const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const connection = await openDatabase({ databaseUrl, dataDir: process.env.DATA_DIR?.trim() || './data' });
await connection.close();
process.stdout.write(`Migrations applied (${connection.driver}).\n`);

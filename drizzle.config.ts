import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/webhook/inbox/inbox.schema.ts',
    './src/c2c/c2c.schema.ts',
    './src/official-account/official-account.schema.ts',
    './src/presence/presence.schema.ts',
  ],
  out: './drizzle',
});

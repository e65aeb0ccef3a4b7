import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every feature's tables, by pattern: a new feature's `*.schema.ts` is picked up without editing this file.
  schema: './src/**/*.schema.ts',
  out: './drizzle',
});

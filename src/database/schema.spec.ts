import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import drizzleConfig from '../../drizzle.config.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(path);
    return entry.name.endsWith('.schema.ts') ? [path] : [];
  });
}

describe('the schema a new feature adds', () => {
  it('is found by drizzle-kit by pattern, not by a list of names', () => {
    expect(drizzleConfig).toMatchObject({ schema: './src/**/*.schema.ts' });
  });

  it('is part of the typed schema (src/database/schema.ts re-exports every *.schema.ts)', () => {
    const exported = readFileSync(join(SRC, 'database', 'schema.ts'), 'utf8');
    const files = schemaFiles(SRC).map((file) => `../${relative(SRC, file).replace(/\.ts$/, '.js')}`);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(exported).toContain(`export * from '${file}';`);
  });
});

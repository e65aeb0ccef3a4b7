// Bundles the operator's page (src/ops-page/browser) into dist/ops-page/public: its script with the
// chart library (uPlot), its styles, and the HTML. Run by `npm run build` after `nest build`, before
// `npm start` and `npm run start:dev` (nest-cli.json keeps dist/ as it is: `nest start` compiles into
// it without emptying it first), and by test/ops-page.e2e-spec.ts when the bundle is missing or stale.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'src', 'ops-page', 'browser');
const OUT = join(ROOT, 'dist', 'ops-page', 'public');

mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: [
    { in: join(SOURCE, 'main.ts'), out: 'ops-page' },
    { in: join(SOURCE, 'ops-page.css'), out: 'ops-page' },
  ],
  outdir: OUT,
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'eof',
  tsconfig: join(SOURCE, 'tsconfig.json'),
  logLevel: 'warning',
});
copyFileSync(join(SOURCE, 'index.html'), join(OUT, 'index.html'));

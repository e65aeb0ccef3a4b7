import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// One folder knows the HTTP platform (src/http); the rest of the service uses Nest's abstractions.
const PLATFORM_IMPORTS = {
  group: ['express', 'express/*', 'fastify', 'fastify/*', '@fastify/*', '@nestjs/platform-express', '@nestjs/platform-express/*', '@nestjs/platform-fastify', '@nestjs/platform-fastify/*'],
  message: 'Only src/http knows the HTTP platform: use Nest\'s abstractions (HttpAdapterHost, HttpRequest from src/http/http-request.ts).',
};

// A callback family is one folder (docs/architecture.md, "How to add a family"). Add yours here.
const FAMILIES = ['c2c', 'official-account', 'presence', 'group'];
const familyImports = (families, message) => ({ group: families.flatMap((family) => [`**/${family}/*`, `**/${family}/**`]), message });

// The event relay (src/relay) is wired by AppModule alone (its table joins the schema barrel).
const RELAY_IMPORTS = { group: ['**/relay/*', '**/relay/**'], message: 'Only AppModule wires the event relay (src/relay): nothing else depends on it.' };
const RELAY_WIRING = ['src/app.module.ts', 'src/database/schema.ts'];

// The operator's page runs in a browser (src/ops-page/browser, bundled by esbuild): it talks to the
// service over HTTP only, and the service never loads it.
const BROWSER_CODE = 'src/ops-page/browser/**';
const BROWSER_IMPORTS = { group: ['**/ops-page/browser', '**/ops-page/browser/*', 'uplot'], message: 'The operator\'s page code (src/ops-page/browser) runs in the browser: the service imports none of it.' };
const SERVER_IMPORTS = {
  group: ['../*', 'node:*', '@nestjs/*', 'drizzle-orm', 'drizzle-orm/*', 'class-validator', 'class-transformer'],
  message: 'The operator\'s page runs in a browser: it imports its own folder and browser packages only, and reaches the service over HTTP.',
};

function architectureRules() {
  const rule = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  return [
    { files: ['src/**/*.ts'], ignores: ['src/http/**', 'src/relay/**', BROWSER_CODE, ...RELAY_WIRING], rules: rule(PLATFORM_IMPORTS, RELAY_IMPORTS, BROWSER_IMPORTS) },
    { files: ['src/http/**/*.ts', ...RELAY_WIRING], rules: rule(BROWSER_IMPORTS) },
    { files: [BROWSER_CODE], rules: rule(PLATFORM_IMPORTS, SERVER_IMPORTS) },
    {
      // The transport, the decision mechanism and the event core know no family: families register
      // themselves (WebhookModule.forFeature) and add to the typed maps (declare module). Only the
      // public barrels (src/events/index.ts, src/decisions/index.ts) re-export the families' classes.
      files: ['src/webhook/**/*.ts', 'src/decisions/**/*.ts', 'src/events/**/*.ts'],
      ignores: ['src/events/index.ts', 'src/decisions/index.ts'],
      rules: rule(PLATFORM_IMPORTS, RELAY_IMPORTS, BROWSER_IMPORTS, familyImports(FAMILIES, 'The webhook, decisions and events folders import no callback family: a family registers itself with WebhookModule.forFeature.')),
    },
    {
      // The event relay knows no family (it rebuilds events through the command registry) and is
      // wired by AppModule alone: nothing else in the service depends on it.
      files: ['src/relay/**/*.ts'],
      rules: rule(PLATFORM_IMPORTS, BROWSER_IMPORTS, familyImports(FAMILIES, 'The event relay imports no callback family: it rebuilds events through the command registry.')),
    },
    {
      // Rebuilding knows no family: each registers its tables and listener (ProjectionsModule.forFeature).
      files: ['src/projections/**/*.ts'],
      rules: rule(PLATFORM_IMPORTS, RELAY_IMPORTS, familyImports(FAMILIES, 'The projections folder imports no callback family: a family registers its projection with ProjectionsModule.forFeature.')),
    },
    ...FAMILIES.map((family) => ({
      files: [`src/${family}/**/*.ts`],
      rules: rule(
        PLATFORM_IMPORTS,
        RELAY_IMPORTS,
        BROWSER_IMPORTS,
        familyImports(FAMILIES.filter((other) => other !== family), `A callback family imports no other family (src/${family}): share through src/common, src/events or domain events.`),
      ),
    })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'drizzle/', '.readme-check-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  // Architecture rules, one no-restricted-imports list per folder (a later block replaces an earlier
  // one's list for the files it matches, so each block repeats the platform rule).
  ...architectureRules(),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

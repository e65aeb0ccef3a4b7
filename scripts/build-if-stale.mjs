// Builds dist/ only when it is older than the sources, so that `npm run callback` answers at once on
// a current build (compiling on every call took 7-9 s). Exit code: the build's, or 0 when current.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist', 'main.js');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // Specs are not built (tsconfig.build.json): editing one needs no build.
  return Math.max(0, ...readdirSync(path).filter((name) => !name.endsWith('.spec.ts')).map((name) => newestMtime(join(path, name))));
}

let built = 0;
try {
  built = statSync(BUILT).mtimeMs;
} catch {
  // Never built.
}
if (Math.max(...INPUTS.map((input) => newestMtime(join(ROOT, input)))) > built) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

// Type-checks every ```ts / ```typescript block of README.md against the project, so that a reader
// can copy any of them as it stands. `npm run check:readme`; part of `npm test`.
//
// Each block is a complete file whose first line names where it lives (`// src/loyalty/loyalty.schema.ts`).
// The blocks are written to a temporary folder inside the project at those paths, and tsc (strict,
// the project's tsconfig.json) compiles them with `rootDirs` merging that folder with the project:
// a block's relative imports (`../database/database.types.js`, `../src/testing/index.js`) resolve
// exactly as they would in the named file, to the project's files or to another block.
// Errors are reported at README lines: `README.md:499:23 error TS2552: ...`. Exit code 1 on any.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const README = process.argv[2] ?? 'README.md';
const CHECKED = new Set(['ts', 'typescript']);
const PATH_COMMENT = /^\/\/\s*([\w.@/-]+\.ts)(?=$|[\s:,(])/;

/** Fenced blocks: { lang, fenceLine (1-based line of the opening fence), lines }. */
function fencedBlocks(text) {
  const blocks = [];
  let open;
  text.split('\n').forEach((line, index) => {
    if (!open) {
      const fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
      if (fence) open = { marker: fence[1], lang: fence[2].toLowerCase(), fenceLine: index + 1, lines: [] };
    } else if (line.trim().startsWith(open.marker[0].repeat(open.marker.length)) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ lang: open.lang, fenceLine: open.fenceLine, lines: open.lines });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  });
  if (open) blocks.push({ lang: open.lang, fenceLine: open.fenceLine, lines: open.lines, unclosed: true });
  return blocks;
}

function main() {
  const text = readFileSync(join(ROOT, README), 'utf8');
  const problems = [];
  const files = new Map(); // path in the project -> block
  for (const block of fencedBlocks(text)) {
    if (!CHECKED.has(block.lang)) continue;
    const at = `${README}:${block.fenceLine + 1}:1`;
    if (block.unclosed) {
      problems.push(`${README}:${block.fenceLine}:1 error: the code block opened here is never closed`);
      continue;
    }
    const named = PATH_COMMENT.exec(block.lines[0] ?? '');
    if (!named) {
      problems.push(`${at} error: a TypeScript block is a complete file and starts with a comment naming it, e.g. // src/loyalty/loyalty.service.ts`);
      continue;
    }
    const path = normalize(named[1]).split(sep).join('/');
    if (isAbsolute(path) || path.startsWith('..')) {
      problems.push(`${at} error: ${named[1]} is not a path inside the project`);
      continue;
    }
    const earlier = files.get(path);
    if (earlier) {
      problems.push(`${at} error: ${path} is already the block at ${README}:${earlier.fenceLine + 1}; give each block a file of its own`);
      continue;
    }
    files.set(path, block);
  }

  const folder = mkdtempSync(join(ROOT, '.readme-check-'));
  const stop = () => {
    rmSync(folder, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (const [path, block] of files) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), `${block.lines.join('\n')}\n`);
    }
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '..', rootDirs: ['..', '.'], incremental: false },
        // The blocks, and the project's own declaration files (src/types/*.d.ts) that its code relies on.
        include: ['**/*.ts', ...projectDeclarations()],
        exclude: [],
      }),
    );
    if (files.size > 0) {
      const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(folder, 'tsconfig.json'), '--pretty', 'false'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (tsc.error) throw tsc.error;
      const output = `${tsc.stdout}${tsc.stderr}`;
      problems.push(...toReadmeLines(output, folder, files));
      if (tsc.status !== 0 && !/error TS\d+/.test(output)) problems.push(`tsc exited with ${tsc.status}:\n${output}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`check:readme: ${problems.length} error(s) in the TypeScript blocks of ${README}`);
    process.exit(1);
  }
  console.log(`check:readme: the ${files.size} TypeScript blocks of ${README} type-check`);
}

// The declaration files (`../src/**/*.d.ts`, ...) of every folder the project's tsconfig.json includes.
function projectDeclarations() {
  const { include = [] } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  return include.filter((entry) => !entry.includes('*')).map((folder) => `../${folder}/**/*.d.ts`);
}

/** tsc's `file(line,col): error TSxxxx: message` lines (and their continuation lines), at README lines for blocks. */
function toReadmeLines(output, folder, files) {
  const problems = [];
  for (const line of output.split('\n')) {
    const located = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/.exec(line);
    if (located) {
      const [, file, row, column, severity, code, message] = located;
      const inFolder = relative(folder, resolve(ROOT, file));
      const block = inFolder.startsWith('..') ? undefined : files.get(inFolder.split(sep).join('/'));
      const where = block ? `${README}:${block.fenceLine + Number(row)}:${column}` : `${file}:${row}:${column}`;
      problems.push(`${where} ${severity} ${code}: ${message}`);
    } else if (line.startsWith(' ') && problems.length > 0) {
      problems[problems.length - 1] += `\n${line}`;
    } else if (/error TS\d+/.test(line)) {
      problems.push(line);
    }
  }
  return problems;
}

main();

import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The lock file in DATA_DIR: the holder's pid. */
export const DATA_DIR_LOCK_FILE = 'pglite.lock';

/** A second process on the DATA_DIR another one holds. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${holderPid}: two processes on one embedded database lose data. ` +
        'Stop that process, give this one its own DATA_DIR, or share a PostgreSQL server through DATABASE_URL',
    );
    this.name = 'DataDirInUseError';
  }
}

// Directories this process holds: two PGlite instances in one process are as dangerous as in two.
const heldHere = new Set<string>();

/**
 * Takes DATA_DIR for this process, or throws DataDirInUseError naming the live holder. A lock whose
 * holder is gone (it crashed, or was killed) is taken over: a crash never leaves it stuck.
 * Returns the release function (idempotent; it removes the file only while it is still ours).
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, DATA_DIR_LOCK_FILE);
  if (heldHere.has(dir)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const holder = readHolder(file);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new DataDirInUseError(dataDir, holder);
    // Stale (or half-written by a starter that died): move it aside atomically, then try again. Of
    // two starters racing for a stale lock, one wins the create; the other's 'wx' then finds the
    // winner's file with a live pid (or moved it aside just now, and puts it back).
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    const moved = readHolder(aside);
    if (moved !== undefined && moved !== holder && moved !== process.pid && isAlive(moved)) {
      // A racing starter took the stale lock between our read and our rename: give it back.
      try {
        linkSync(aside, file);
      } finally {
        unlinkSync(aside);
      }
      throw new DataDirInUseError(dataDir, moved);
    }
    unlinkSync(aside);
  }
  heldHere.add(dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(dir);
    if (readHolder(file) === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

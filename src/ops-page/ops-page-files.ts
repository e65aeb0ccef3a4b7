import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, NotFoundException } from '@nestjs/common';

/**
 * Where `npm run build` puts the page (scripts/build-ops-page.mjs): dist/ops-page/public, found from
 * this file whether it runs built (dist/ops-page) or from the sources (src/ops-page, in tests).
 */
export const OPS_PAGE_PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'ops-page', 'public');

/** The page's files: a fixed list, so that no request names a path of its own. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'ops-page.js': 'text/javascript; charset=utf-8',
  'ops-page.css': 'text/css; charset=utf-8',
};

export interface OpsPageFile {
  body: Buffer;
  contentType: string;
}

/** The built page, read once per file. */
@Injectable()
export class OpsPageFiles {
  private readonly cache = new Map<string, Promise<Buffer>>();

  async get(name: string): Promise<OpsPageFile> {
    const contentType = FILES[name];
    if (!contentType) throw new NotFoundException(`no asset ${name}`);
    let body = this.cache.get(name);
    if (!body) {
      body = readFile(join(OPS_PAGE_PUBLIC_DIR, name));
      this.cache.set(name, body);
    }
    try {
      return { body: await body, contentType };
    } catch {
      this.cache.delete(name);
      throw new NotFoundException('the operator\'s page is not built: run npm run build');
    }
  }
}

/**
 * package.json "overrides" pins four transitive packages to the newest versions that declare Node 20
 * (their newer majors want Node 22, and `npm install` warned EBADENGINE on Node 20). Each dependent
 * must resolve the version declared there, that version must admit Node 20, and what the dependent
 * does with it must still work: Content-Disposition of @fastify/static's downloads, cookies of
 * light-my-request's injections and of @fastify/cookie, magic-number checks of Nest's FileTypeValidator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { FileTypeValidator } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

interface PackageJson {
  version: string;
  engines?: { node?: string };
  overrides?: Record<string, Record<string, string>>;
}

const readPackage = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;

/** The copy of `name` that `dependent` (installed at the top of node_modules) loads: Node's lookup, from its folder upwards. */
function installedFor(dependent: string, name: string): PackageJson {
  const start = join(ROOT, 'node_modules', dependent);
  expect(existsSync(start)).toBe(true);
  for (let folder = start; folder.startsWith(ROOT); folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return readPackage(candidate);
  }
  throw new Error(`${dependent} finds no ${name}`);
}

const OVERRIDES = Object.entries(readPackage(join(ROOT, 'package.json')).overrides ?? {}).flatMap(([dependent, pins]) =>
  Object.entries(pins).map(([name, version]) => ({ dependent, name, version })),
);

describe('packages pinned for Node 20 (package.json overrides)', () => {
  it('are the four that wanted Node 22', () => {
    expect(OVERRIDES.map(({ dependent, name }) => `${dependent} > ${name}`).sort()).toEqual([
      '@fastify/cookie > cookie',
      '@fastify/static > content-disposition',
      '@nestjs/common > file-type',
      'light-my-request > cookie',
    ]);
  });

  it.each(OVERRIDES)('$dependent loads $name $version, which admits Node 20', ({ dependent, name, version }) => {
    const installed = installedFor(dependent, name);
    expect(installed.version).toBe(version);
    // Each declares a plain lower bound (">=18", ">=20"): the newer majors say ">=22".
    const lowest = /^>=\s*(\d+)(?:\.\d+)*$/.exec(installed.engines?.node ?? '');
    expect(lowest).not.toBeNull();
    expect(Number(lowest![1])).toBeLessThanOrEqual(20);
  });
});

describe('what uses them', () => {
  let app: FastifyInstance;

  afterEach(async () => {
    await app.close();
  });

  it('@fastify/static (Swagger UI on Fastify) names a download with content-disposition', async () => {
    app = Fastify();
    await app.register(fastifyStatic, { root: FIXTURES, serve: false });
    app.get('/plain', (_request, reply) => reply.download('c2c-after-send-msg.json'));
    app.get('/renamed', (_request, reply) => reply.download('c2c-after-send-msg.json', 'callback €1 "seed".json'));

    const plain = await app.inject({ url: '/plain' });
    const renamed = await app.inject({ url: '/renamed' });

    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-disposition']).toBe('attachment; filename=c2c-after-send-msg.json');
    expect(JSON.parse(plain.body)).toMatchObject({ CallbackCommand: 'C2C.CallbackAfterSendMsg' });
    expect(renamed.headers['content-disposition']).toBe(
      `attachment; filename="callback ?1 \\"seed\\".json"; filename*=UTF-8''callback%20%E2%82%AC1%20%22seed%22.json`,
    );
  });

  it('light-my-request sends the cookies of an injection, encoded, and only where their path matches', async () => {
    app = Fastify();
    app.get('/area/echo', (request) => ({ cookie: request.headers.cookie ?? null }));

    const answer = await app.inject({
      url: '/area/echo',
      cookies: [
        { name: 'session', value: 'a b;€' },
        { name: 'elsewhere', value: '1', path: '/other' },
        { name: 'here', value: '2', path: '/area' },
      ],
    });

    expect(answer.json()).toEqual({ cookie: 'session=a%20b%3B%E2%82%AC; here=2' });
  });

  it('@fastify/cookie parses request cookies and writes Set-Cookie, and a value comes back as it was set', async () => {
    app = Fastify();
    await app.register(fastifyCookie);
    app.get('/visit', (request, reply) => {
      const visits = Number(request.cookies.visits ?? 0) + 1;
      void reply.setCookie('visits', String(visits), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
      return { visits, theme: request.cookies.theme ?? null };
    });
    app.get('/token', (request, reply) => {
      void reply.setCookie('token', 'a=b/c+d €;');
      return { token: request.cookies.token ?? null };
    });

    const answer = await app.inject({ url: '/visit', headers: { cookie: 'visits=2; theme=dark%20blue' } });
    const issued = await app.inject({ url: '/token' });
    const cookie = String(issued.headers['set-cookie']).split(';')[0]!;
    const returned = await app.inject({ url: '/token', headers: { cookie } });

    expect(answer.json()).toEqual({ visits: 3, theme: 'dark blue' });
    expect(answer.headers['set-cookie']).toBe('visits=3; Max-Age=60; Path=/; HttpOnly; SameSite=Lax');
    expect(returned.json()).toEqual({ token: 'a=b/c+d €;' });
  });

  it("Nest's FileTypeValidator tells a file's type by its bytes with file-type", async () => {
    app = Fastify(); // nothing to serve; keeps afterEach simple
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const validator = new FileTypeValidator({ fileType: 'image/png' });

    expect(await validator.isValid({ mimetype: 'image/png', size: png.length, buffer: png })).toBe(true);
    // Labelled PNG, but a GIF by its bytes: refused (a validator that could not load file-type would refuse both).
    expect(await validator.isValid({ mimetype: 'image/png', size: gif.length, buffer: gif })).toBe(false);
    expect(await new FileTypeValidator({ fileType: 'image/gif' }).isValid({ mimetype: 'image/png', size: gif.length, buffer: gif })).toBe(true);
  });
});

/**
 * The HTTP routes an app serves, read from Nest's own router metadata (every controller of every
 * module, as Nest registers them on the HTTP platform at init), so that a spec can check a rule
 * for every route and a route added later cannot be forgotten in a hand-written list.
 */
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';

export interface AppRoute {
  /** GET, POST, ... (as Nest's RequestMethod names it). */
  method: string;
  /** The path as declared, with its parameters: `/users/:userId/presence`. */
  path: string;
  /** `ClassName.method`, to say which handler a failure is about. */
  handler: string;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)]);

const joinPath = (...parts: string[]): string => {
  const joined = `/${parts.join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
};

/**
 * Every route of the app's controllers (the app must be initialised: WEBHOOK_PATH is applied to its
 * controller then), sorted by path then method. Routes the HTTP platform serves outside Nest's
 * router (SwaggerUI under /docs) are not listed: no Nest guard can apply to them either.
 */
export function appRoutes(app: INestApplication): AppRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: AppRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller) continue;
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (method === undefined || paths === undefined) continue; // not a route handler
      for (const prefix of prefixes) {
        for (const path of asList(paths)) routes.push({ method: RequestMethod[method], path: joinPath(prefix, path), handler: `${controller.name}.${name}` });
      }
    }
  }
  return routes.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
}

/** `GET /users/:userId/presence`: how a route is named in allow-lists and failure messages. */
export const routeName = (route: Pick<AppRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** A concrete path for the route: each `:param` replaced by `value` (URL-encoded). */
export const concretePath = (route: Pick<AppRoute, 'path'>, value = 'x'): string => route.path.replace(/:[A-Za-z0-9_]+/g, encodeURIComponent(value));

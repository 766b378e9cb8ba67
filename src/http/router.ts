/**
 * The small router of the servers off the gateway's hot path (admin API, dashboard): exact
 * `METHOD /path` keys, a trailing slash ignored, and a 405 that lists the methods a path has.
 */
export type RouteMatch<H> = { kind: 'found'; handler: H } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

export interface Router<H> {
  /** Does any method serve this path. */
  knows(path: string): boolean;
  match(method: string, path: string): RouteMatch<H>;
}

export const normalPath = (path: string): string => path.replace(/\/+$/, '') || '/';

/** `routes` keys are `METHOD /path`. */
export function createRouter<H>(routes: Readonly<Record<string, H>>): Router<H> {
  const byPath = new Map<string, Map<string, H>>();
  for (const [key, handler] of Object.entries(routes)) {
    const [method = '', path = ''] = key.split(' ');
    const methods = byPath.get(path) ?? new Map<string, H>();
    methods.set(method, handler);
    byPath.set(path, methods);
  }
  return {
    knows: (path) => byPath.has(normalPath(path)),
    match(method, path) {
      const methods = byPath.get(normalPath(path));
      if (!methods) return { kind: 'none' };
      const handler = methods.get(method);
      return handler ? { kind: 'found', handler } : { kind: 'method', allowed: [...methods.keys()] };
    },
  };
}

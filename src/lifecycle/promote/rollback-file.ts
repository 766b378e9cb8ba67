import { ConfigError } from '../../core/errors.js';
import { readPrevious, readTarget, refOf, requireRoute, setPin, type MapPath } from './yaml-edit.js';

export interface FileRollback {
  route: string;
  env: string;
  from: string;
  to: string;
  text: string;
}

/**
 * Revert routes.<route>.targets.<env> to the recorded `previous` pin (for the next deploy).
 * The pin being replaced becomes `previous`, so a second rollback undoes the first.
 */
export function planFileRollback(
  text: string,
  route: string,
  env = 'production',
  file = 'models.yml',
  mapPath?: MapPath,
): FileRollback {
  requireRoute(text, route, file, mapPath);
  const previous = readPrevious(text, route, file, mapPath);
  const to = refOf(previous);
  if (previous === undefined || to === null) {
    throw new ConfigError(
      `${file}: route "${route}" has no recorded previous pin (routes.${route}.previous); nothing to roll back to`,
      { file, path: `routes.${route}.previous` },
    );
  }
  const current = readTarget(text, route, env, file, mapPath);
  const from = refOf(current) ?? '?';
  if (from === to) throw new ConfigError(`${file}: ${route} ${env} is already ${to}`, { file });
  return { route, env, from, to, text: setPin(text, { route, env, target: to, previous: current }, file, mapPath) };
}

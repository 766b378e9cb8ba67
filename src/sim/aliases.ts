/** Alias resolution with silent moves: by wall time (injected clock) or by request count. */
import type { Clock } from '../core/clock.js';
import type { Alias } from './scenario-schema.js';

export interface AliasResolver {
  /** Resolve a requested id to a snapshot id, counting this request against the alias. Unknown ids pass through. */
  resolve(id: string): string;
  /** Where an alias points right now, without counting a request. */
  peek(id: string): string | undefined;
}

export function aliasTarget(alias: Alias, now: number, priorRequests: number): string {
  let target = alias.target;
  for (const move of alias.moves ?? []) {
    const due =
      move.at !== undefined
        ? now >= Date.parse(move.at)
        : priorRequests >= (move.after_requests ?? Number.POSITIVE_INFINITY);
    if (due) target = move.to;
  }
  return target;
}

export function createAliasResolver(aliases: Map<string, Alias>, clock: Clock): AliasResolver {
  const counts = new Map<string, number>();
  return {
    resolve(id) {
      const alias = aliases.get(id);
      if (!alias) return id;
      const prior = counts.get(id) ?? 0;
      counts.set(id, prior + 1);
      return aliasTarget(alias, clock.now(), prior);
    },
    peek(id) {
      const alias = aliases.get(id);
      return alias ? aliasTarget(alias, clock.now(), counts.get(id) ?? 0) : undefined;
    },
  };
}

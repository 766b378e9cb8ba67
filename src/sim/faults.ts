/** One seeded draw per request picks at most one fault from the snapshot's rates. */
import type { Random } from '../core/random.js';
import type { Faults } from './scenario-schema.js';

export const FAULT_KINDS = ['rate_limit', 'server_error', 'overloaded', 'hang', 'reset', 'stream_cut'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function drawFault(faults: Faults | undefined, random: Random, stream: boolean): FaultKind | null {
  const u = random.next();
  if (!faults) return null;
  let acc = 0;
  for (const kind of FAULT_KINDS) {
    acc += faults[kind];
    if (u < acc) return kind === 'stream_cut' && !stream ? null : kind;
  }
  return null;
}

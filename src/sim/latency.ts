/** Sample latency distributions with the injected random source. */
import type { Random } from '../core/random.js';
import type { Latency } from './scenario-schema.js';

export function sampleLatency(d: Latency | undefined, random: Random): number {
  if (d === undefined) return 0;
  if ('fixed_ms' in d) return d.fixed_ms;
  if ('min_ms' in d) return d.min_ms + (d.max_ms - d.min_ms) * random.next();
  // Box-Muller; 1 - u keeps log() away from 0.
  const u1 = 1 - random.next();
  const u2 = random.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(0, d.mean_ms + z * d.sd_ms);
}

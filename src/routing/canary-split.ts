import { hashString, type Random } from '../core/random.js';

/**
 * Decide the canary arm. With a sticky key the same caller always lands in the same arm
 * (FNV bucket in [0, 100) at 0.01% resolution); without one the injected Random decides.
 */
export function inCanary(percent: number, stickyValue: string | undefined, random: Random): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const roll =
    stickyValue !== undefined && stickyValue !== '' ? (hashString(stickyValue) % 10_000) / 100 : random.next() * 100;
  return roll < percent;
}

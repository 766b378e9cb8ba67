/** What a read-side command needs from the outside world, injectable for tests. */
import { clockFromEnv, type Clock } from '../core/clock.js';

export interface CliIo {
  out(text: string): void;
  clock: Clock;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The real process: stdout, MODELPIN_NOW-aware clock, cwd and environment. */
export function defaultIo(): CliIo {
  return { out: (t) => console.log(t), clock: clockFromEnv(), cwd: process.cwd(), env: process.env };
}

/**
 * Whether `modelpin serve` should start its gateway in a child Node process with a larger young
 * generation. V8 sizes its heap when the process starts (`v8.setFlagsFromString` afterwards changes
 * nothing), and the gateway's garbage is almost all per-request and short-lived: with 64 MB semi-spaces
 * the scavenger runs about a quarter as often as with Node's 16 MB, which halves GC time per request.
 * Measured in docs/performance.md.
 */

/** The flag the child gets. */
export const SERVE_HEAP_FLAG = '--max-semi-space-size=64';

/** Set to `0` to run the gateway in the process that was started, with Node's heap defaults. */
export const RELAUNCH_ENV = 'MODELPIN_RELAUNCH';

/** Set by the launcher on the child, so that the child knows a parent is waiting for it. */
export const RELAUNCHED_ENV = 'MODELPIN_RELAUNCHED';

export interface RelaunchInput {
  /** Node's own flags of this process (`process.execArgv`). */
  execArgv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

export type RelaunchPlan = { relaunch: true; execArgv: string[] } | { relaunch: false; why: string };

// The operator sized the young generation already: theirs wins, and no second process is needed.
const HEAP_SIZING = /^--(max|min)[-_]semi[-_]space[-_]size(=|$)/;
// A debugger or profiler is attached to this process: the gateway must run in it, not in a child
// that would try to open the same inspector port or write a second profile.
const DEBUGGING = /^--(inspect|inspect-brk|inspect-wait|inspect-port|debug-port|cpu-prof|heap-prof|prof)(=|$|-)/;

/** Whether these Node flags size the young generation already. */
export function sizesYoungGeneration(flags: readonly string[]): boolean {
  return flags.some((f) => HEAP_SIZING.test(f));
}

function nodeOptionFlags(nodeOptions: string | undefined): string[] {
  return (nodeOptions ?? '').split(/\s+/).filter((f) => f.startsWith('--'));
}

export function relaunchPlan(input: RelaunchInput): RelaunchPlan {
  if (input.env[RELAUNCHED_ENV] === '1') return { relaunch: false, why: 'this is the relaunched gateway' };
  const setting = input.env[RELAUNCH_ENV];
  if (setting === '0' || setting === 'false') return { relaunch: false, why: `${RELAUNCH_ENV}=${setting}` };
  // Windows has no signals to forward: a child there could only be killed, never drained.
  if (input.platform === 'win32') return { relaunch: false, why: 'not on Windows' };
  const flags = [...input.execArgv, ...nodeOptionFlags(input.env.NODE_OPTIONS)];
  const sized = flags.find((f) => HEAP_SIZING.test(f));
  if (sized) return { relaunch: false, why: `young generation already set (${sized})` };
  const debug = flags.find((f) => DEBUGGING.test(f));
  if (debug) return { relaunch: false, why: `debugger or profiler attached (${debug})` };
  return { relaunch: true, execArgv: [...input.execArgv, SERVE_HEAP_FLAG] };
}

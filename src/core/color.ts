import picocolors from 'picocolors';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Colour only when a person is likely reading: NO_COLOR wins, FORCE_COLOR opts in, otherwise stdout must be a TTY.
 * picocolors alone also colours whenever `CI` is set, which puts escape codes into CI logs, JUnit
 * artifacts and anything that greps our output, so the decision is made here instead.
 */
export function colorEnabled(env: Env = process.env, isTty: boolean = process.stdout.isTTY === true): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTty && env.TERM !== 'dumb';
}

export type Colors = ReturnType<typeof picocolors.createColors>;

export const pc: Colors = picocolors.createColors(colorEnabled());

/** Meaningful exit codes, shared by every command. */
export const EXIT = {
  ok: 0,
  /** Findings: lint errors, failing evals, significant regressions, refused promotion. */
  failed: 1,
  /** Usage or config error: bad flags, unreadable or invalid files. */
  usage: 2,
  /** Unexpected internal failure. */
  internal: 3,
  /**
   * A compare that cannot decide: a change was seen that its sample counts could never show
   * significant, or no signal could reach significance at all. Not a pass and not a drift.
   */
  insufficient: 4,
  /** Interrupted (SIGINT) after writing partial results. */
  interrupted: 130,
} as const;

import { spawn } from 'node:child_process';
import { RELAUNCHED_ENV } from './relaunch-plan.js';

/** The signals `serve` acts on: forwarded to the child, which drains or reloads as it would alone. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export type RelaunchOutcome = { ran: true; exitCode: number } | { ran: false; error: Error };

/**
 * Run this same command line in a child Node process with `execArgv`, and stand in for it: the child
 * shares stdin/stdout/stderr, receives every signal this process gets, and its exit code (or the signal
 * that ended it) becomes this process's.
 *
 * The child runs in its own process group: Ctrl-C in a terminal signals the whole foreground group,
 * and the child would otherwise see every SIGINT twice, the second ending it before it drains. If this
 * process is killed outright (SIGKILL), the child sees its IPC channel close and drains on its own
 * (serve.ts), so it never outlives its parent by more than a drain.
 *
 * Resolves `{ ran: false }` only when the child could not be started at all.
 */
export function relaunch(execArgv: readonly string[]): Promise<RelaunchOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...execArgv, ...process.argv.slice(1)], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      detached: true,
      env: { ...process.env, [RELAUNCHED_ENV]: '1' },
    });
    const forwarders = FORWARDED.map((signal) => {
      const forward = (): void => void child.kill(signal);
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const unforward = (): void => forwarders.forEach((off) => off());
    child.once('error', (error) => {
      // 'error' without a pid: the spawn itself failed. With a pid it is a failed kill or send, which
      // 'exit' still follows.
      if (child.pid !== undefined) return;
      unforward();
      resolve({ ran: false, error });
    });
    child.once('exit', (code, signal) => {
      unforward();
      if (signal !== null) {
        // End the way the child ended, so a supervisor sees the same signal; the exit code is the
        // shell's convention should the signal be caught anyway.
        process.exitCode = 128;
        process.kill(process.pid, signal);
        return;
      }
      resolve({ ran: true, exitCode: code ?? 0 });
    });
  });
}

/**
 * In the relaunched child: when the parent goes away without a signal reaching us (it was SIGKILLed),
 * run `onOrphaned`. Returns false when this process was not started by the launcher.
 */
export function watchLauncher(onOrphaned: () => void): boolean {
  if (process.env[RELAUNCHED_ENV] !== '1' || typeof process.send !== 'function') return false;
  // The gateway may start tools of its own: they are not relaunched children.
  delete process.env[RELAUNCHED_ENV];
  process.once('disconnect', onOrphaned);
  // The channel is only a lifeline: it must not keep the process alive once the gateway has closed.
  process.channel?.unref();
  return true;
}

import { spawn } from 'node:child_process';
import { z } from 'zod';
import { RELAUNCHED_ENV } from './relaunch-plan.js';

/** The signals `serve` acts on: forwarded to the child, which drains or reloads as it would alone. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A stop request from the launcher. SIGINT and SIGTERM go over the IPC channel rather than as signals:
 * a supervisor that signals every process of the service (systemd's default KillMode) reaches the gateway
 * directly as well, and a forwarded second signal would then end it before it drained. `nth` counts the
 * launcher's stop signals: the second one stops the gateway at once, as a second Ctrl-C does a single process.
 */
const stopMessage = z.object({
  type: z.literal('modelpin:stop'),
  signal: z.enum(['SIGINT', 'SIGTERM']),
  nth: z.number().int().positive(),
});
type StopMessage = z.infer<typeof stopMessage>;

export type RelaunchOutcome = { ran: true; exitCode: number } | { ran: false; error: Error };

/**
 * Run this same command line in a child Node process with `execArgv`, and stand in for it: the child
 * shares stdout and stderr, receives every signal this process gets, and its exit code (or the signal
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
      // The gateway never reads stdin; in its own process group it must not touch a terminal's input.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
      env: { ...process.env, [RELAUNCHED_ENV]: '1' },
    });
    let stops = 0;
    const forwarders = FORWARDED.map((signal) => {
      const forward = (): void => {
        if (signal === 'SIGHUP' || !child.connected) {
          child.kill(signal);
          return;
        }
        const message: StopMessage = { type: 'modelpin:stop', signal, nth: ++stops };
        // A failed send means the child is going or gone: its 'exit' follows.
        child.send(message, () => {});
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const unforward = (): void => forwarders.forEach((off) => off());
    child.on('error', (error) => {
      // 'error' without a pid: the spawn itself failed. With a pid it is a failed kill (the child is
      // already gone), which 'exit' still follows.
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
 * In the relaunched child: the launcher's stop requests run `stop` (the first) or end this process with
 * the signal's default action (any later one); when the launcher goes away without a word (it was
 * SIGKILLed), `stop` runs too. Returns false when this process was not started by the launcher.
 */
export function watchLauncher(stop: (reason: string) => void): boolean {
  if (process.env[RELAUNCHED_ENV] !== '1' || typeof process.send !== 'function') return false;
  // The gateway may start tools of its own: they are not relaunched children.
  delete process.env[RELAUNCHED_ENV];
  process.once('disconnect', () => stop('launcher exited'));
  process.on('message', (m: unknown) => {
    const msg = stopMessage.safeParse(m);
    if (!msg.success) return;
    if (msg.data.nth === 1) {
      stop(msg.data.signal);
      return;
    }
    process.removeAllListeners(msg.data.signal);
    process.kill(process.pid, msg.data.signal);
  });
  // The channel is only a lifeline: it must not keep the process alive once the gateway has closed.
  process.channel?.unref();
  return true;
}

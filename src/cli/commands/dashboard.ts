import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { createDashboardServer, type DashboardServer } from '../../dashboard/server.js';
import { isLoopbackHost } from '../../gateway/auth.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { openStoreForCli } from '../../store/cli-open.js';
import { clockForToday } from '../../evals/eval-command.js';
import { parseSince } from '../../usage/since.js';
import { action } from '../action.js';
import { storeSourceOptions } from '../store-options.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface DashboardCliOptions {
  config?: string;
  store?: string;
  port: string;
  host: string;
  since: string;
  adminTokenEnv?: string;
  today?: string;
}

export interface RunningDashboard extends DashboardServer {
  /** Where the store lives, safe to print. */
  where: string;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n > 65535)
    throw new UsageError(`--port expects an integer 0..65535, got "${v}"`);
  return n;
}

function tokenFrom(opts: DashboardCliOptions, env: CliIo['env']): string | undefined {
  if (opts.adminTokenEnv === undefined) {
    if (!isLoopbackHost(opts.host)) {
      throw new UsageError(
        `--host ${opts.host} is not loopback: anyone who can reach it could read usage and state. Pass --admin-token-env VAR to require a token, or bind 127.0.0.1`,
      );
    }
    return undefined;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.adminTokenEnv))
    throw new UsageError(`--admin-token-env expects an environment variable name, got "${opts.adminTokenEnv}"`);
  const value = env[opts.adminTokenEnv];
  if (value === undefined || value.trim() === '')
    throw new UsageError(`--admin-token-env ${opts.adminTokenEnv}: that environment variable is not set or empty`);
  return value.trim();
}

/** Validate flags, open the store read-side, start serving. The caller closes it (server, then store). */
export async function startDashboard(opts: DashboardCliOptions, io: CliIo): Promise<RunningDashboard> {
  const port = parsePort(opts.port);
  const clock = clockForToday(opts.today, io.clock);
  parseSince(opts.since, clock.now());
  const token = tokenFrom(opts, io.env);
  const { store, where } = await openStoreForCli(opts, io);
  let server: DashboardServer;
  try {
    server = await createDashboardServer({
      store,
      clock,
      port,
      host: opts.host,
      defaultSince: opts.since,
      ...(token !== undefined ? { token } : {}),
    });
  } catch (e) {
    await store.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} on ${opts.host} is already in use; pass --port <n> (0 = any free port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(`cannot bind --host ${opts.host}: no such local address`);
    throw e;
  }
  return {
    where,
    url: server.url,
    close: async () => {
      try {
        await server.close();
      } finally {
        await store.close();
      }
    },
  };
}

export async function runDashboard(opts: DashboardCliOptions, io: CliIo): Promise<number> {
  const running = await startDashboard(opts, io);
  io.out(
    `modelpin dashboard on ${running.url} (window ${opts.since}${opts.today !== undefined ? `, today ${opts.today}` : ''}) — ${running.where}`,
  );
  if (opts.adminTokenEnv !== undefined)
    io.out(
      `Requests need the token from $${opts.adminTokenEnv}: open ${running.url}?token=<token> or send "Authorization: Bearer <token>".`,
    );
  io.out('Press Ctrl+C to stop.');
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(
        () => resolve(EXIT.ok),
        () => resolve(EXIT.internal),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerDashboard(program: Command, io: () => CliIo = defaultIo): void {
  storeSourceOptions(addCommand(program, 'dashboard'))
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', '8790')
    .option('--host <host>', 'address to bind; a non-loopback host needs --admin-token-env', '127.0.0.1')
    .option('--since <when>', 'default window: a duration back from now (90m, 24h, 7d, 2w) or an ISO date', '24h')
    .option('--admin-token-env <VAR>', 'require the token held in this environment variable on every request')
    .option(
      '--today <YYYY-MM-DD>',
      'show the store as of this UTC date (noon, then forward): windows and streaks end there; also MODELPIN_NOW',
    )
    .addHelpText(
      'after',
      '\nThe page refreshes every 5 s and reads the store only; it never writes.\n\nExamples:\n  modelpin dashboard\n  modelpin dashboard --store .modelpin/modelpin.db --since 7d --port 0\n  modelpin dashboard --since 30d --today 2026-12-12   (replay a recorded story)\n  DASH_TOKEN=s3cret modelpin dashboard --host 0.0.0.0 --admin-token-env DASH_TOKEN',
    )
    .action(action((o: DashboardCliOptions) => runDashboard(o, io())));
}

export const command: CommandModule = { register: (program) => registerDashboard(program) };

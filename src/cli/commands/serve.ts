import type { Command } from 'commander';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { jsonLogger, type LogLevel } from '../../core/logger.js';
import { clockFromEnv } from '../../core/clock.js';
import { relaunchPlan } from '../relaunch-plan.js';
import { relaunch, watchLauncher } from '../relaunch.js';

interface ServeOpts {
  config: string;
  env: string;
  port: string;
  host: string;
  watch: boolean;
  logLevel: string;
  extensions: boolean;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** After a clean close, how long the process may linger on handles that are not ours before it exits anyway. */
const EXIT_GRACE_MS = 500;

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port expects an integer 0..65535, got "${v}"`);
  return n;
}

export const command: CommandModule = {
  register(program: Command) {
    addCommand(program, 'serve')
      .option('-c, --config <file>', 'models.yml path', 'models.yml')
      .option('--env <name>', 'environment whose targets to serve', 'production')
      .option('-p, --port <port>', 'port to listen on (0 = any free port)', '8787')
      .option('--host <host>', 'address to bind (gateway.auth: none requires loopback)', '127.0.0.1')
      .option('--no-watch', 'do not reload models.yml when it changes (SIGHUP still reloads)')
      .option('--no-extensions', 'run without the admin API, canary controller, shadow mirror and sentinel')
      .option('--log-level <level>', 'debug | info | warn | error', 'info')
      .addHelpText(
        'after',
        `
Examples:
  modelpin serve --config models.yml --env production --port 8787
  OPENAI_BASE_URL=http://127.0.0.1:8787/v1 node app.js     # the route name goes in "model"

Signals: SIGHUP reloads models.yml; SIGTERM/SIGINT stop accepting, finish in-flight requests and flush usage.

Process: the gateway runs in a child Node process started with --max-semi-space-size=64 (a larger young
generation halves garbage-collection time per request); this process forwards signals to it and exits
with its code. MODELPIN_RELAUNCH=0, or a semi-space size of your own in NODE_OPTIONS, keeps one process.`,
      )
      .action(
        action(async (o: ServeOpts) => {
          if (!LEVELS.includes(o.logLevel as LogLevel))
            throw new UsageError(`--log-level expects one of ${LEVELS.join(', ')}, got "${o.logLevel}"`);
          const port = parsePort(o.port);
          const plan = relaunchPlan({ execArgv: process.execArgv, env: process.env, platform: process.platform });
          if (plan.relaunch) {
            const outcome = await relaunch(plan.execArgv);
            if (outcome.ran) return outcome.exitCode;
            process.stderr.write(
              `modelpin: could not start the gateway's own Node process (${outcome.error.message}); serving in this one with Node's heap defaults\n`,
            );
          }
          // Imported here, not at the top: the launcher above never needs the gateway's modules.
          const { createGateway } = await import('../../gateway/server.js');
          const { defaultExtensions } = await import('../../lifecycle/extensions.js');
          const clock = clockFromEnv();
          const logger = jsonLogger({ minLevel: o.logLevel as LogLevel, now: () => clock.now() });
          const gateway = await createGateway({
            configPath: o.config,
            env: o.env,
            port,
            host: o.host,
            logger,
            clock,
            watch: o.watch,
            extensions: o.extensions ? defaultExtensions() : [],
          });
          // Every handler is in place before the line that says the gateway is ready: a supervisor may
          // signal the moment it reads it.
          const stopped = new Promise<number>((resolve) => {
            const onHup = (): void => void gateway.reload();
            let stopping = false;
            const stop = (signal: string): void => {
              if (stopping) return;
              stopping = true;
              logger.log('info', 'shutting down', { signal });
              gateway.close().then(
                () => {
                  logger.log('info', 'gateway stopped; usage flushed', { written: gateway.writer.written });
                  process.off('SIGHUP', onHup);
                  // Everything of ours is closed. What may remain is a telemetry exporter still retrying a
                  // collector that is down, past the flush timeout close() already waited: it must not hold the exit.
                  setTimeout(() => process.exit(process.exitCode ?? EXIT.ok), EXIT_GRACE_MS).unref();
                  resolve(EXIT.ok);
                },
                (e: unknown) => {
                  logger.log('error', 'shutdown failed', { error: e instanceof Error ? e.message : String(e) });
                  resolve(EXIT.internal);
                },
              );
            };
            process.on('SIGHUP', onHup);
            process.once('SIGTERM', () => stop('SIGTERM'));
            process.once('SIGINT', () => stop('SIGINT'));
            watchLauncher(stop);
          });
          process.stdout.write(`modelpin gateway listening on ${gateway.url} (env ${o.env})\n`);
          return await stopped;
        }),
      );
  },
};

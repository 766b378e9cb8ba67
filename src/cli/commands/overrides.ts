import type { Command } from 'commander';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { clockFromEnv } from '../../core/clock.js';
import { defaultActor } from '../../lifecycle/audit.js';
import { lifecycleBackend } from '../../lifecycle/backend.js';
import { DEFAULT_ADMIN_TOKEN_ENV, printJson, type LifecycleCliOptions } from '../../lifecycle/cli-support.js';
import type { OverrideRecord } from '../../store/types.js';

type Opts = LifecycleCliOptions;

function shared(c: Command): Command {
  return c
    .option('-c, --config <file>', 'models.yml path (store access without --gateway)', 'models.yml')
    .option('--gateway <url>', 'gateway base URL; without it the store is used directly')
    .option('--admin-token-env <var>', 'env var holding the gateway admin token', DEFAULT_ADMIN_TOKEN_ENV)
    .option('--json', 'print JSON');
}

function show(rows: OverrideRecord[], now: number): void {
  if (rows.length === 0) {
    console.log('no runtime overrides');
    return;
  }
  for (const r of rows) {
    const exp =
      r.expiresAt === null
        ? 'until cleared'
        : r.expiresAt <= now
          ? 'expired'
          : `until ${new Date(r.expiresAt).toISOString()}`;
    console.log(
      `${r.route} ${r.env} -> ${r.target}  (${exp}; by ${r.actor} at ${new Date(r.createdAt).toISOString()}: ${r.reason})`,
    );
  }
}

export const command: CommandModule = {
  register(program: Command) {
    const cmd = addCommand(program, 'overrides');
    shared(cmd.command('list', { isDefault: true }).description('list runtime overrides')).action(
      action(async (o: Opts) => {
        const rows = await lifecycleBackend(o).listOverrides();
        if (o.json) printJson({ overrides: rows });
        else show(rows, clockFromEnv().now());
        return EXIT.ok;
      }),
    );
    shared(
      cmd
        .command('clear')
        .description('remove the runtime override of a route (audited)')
        .argument('<route>', 'route name'),
    )
      .option('--env <name>', 'environment', 'production')
      .option('--actor <name>', 'who is clearing it (default: $USER)')
      .action(
        action(async (route: string, o: Opts) => {
          const actor = defaultActor(o.actor);
          const cleared = await lifecycleBackend(o).clearOverride(route, o.env, actor);
          if (o.json) printJson({ route, env: o.env, cleared });
          else console.log(cleared ? `cleared the override of ${route} ${o.env}` : `no override for ${route} ${o.env}`);
          return cleared ? EXIT.ok : EXIT.failed;
        }),
      );
  },
};

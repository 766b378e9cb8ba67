import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { clockFromEnv } from '../../core/clock.js';
import { audit, defaultActor } from '../../lifecycle/audit.js';
import { lifecycleBackend } from '../../lifecycle/backend.js';
import {
  DEFAULT_ADMIN_TOKEN_ENV,
  loadForCli,
  printJson,
  withStore,
  type LifecycleCliOptions,
} from '../../lifecycle/cli-support.js';
import { planFileRollback } from '../../lifecycle/promote/rollback-file.js';

interface RollbackOpts extends LifecycleCliOptions {
  live?: boolean;
  to?: string;
  reason?: string;
  ttl?: string;
}

export const command: CommandModule = {
  register(program: Command) {
    addCommand(program, 'rollback')
      .argument('<route>', 'route name in models.yml')
      .option('-c, --config <file>', 'models.yml path', 'models.yml')
      .option('--env <name>', 'environment to roll back', 'production')
      .option('--live', 'set a runtime override now instead of editing models.yml')
      .option('--to <provider/model>', 'live only: target to serve instead (default: the recorded previous pin)')
      .option('--reason <text>', 'live only: why (required, written to the audit log)')
      .option('--ttl <duration>', 'live only: expire the override after e.g. 2h (default: until cleared)')
      .option(
        '--gateway <url>',
        'live only: gateway base URL; without it the override is written to the store directly',
      )
      .option('--admin-token-env <var>', 'env var holding the gateway admin token', DEFAULT_ADMIN_TOKEN_ENV)
      .option('--actor <name>', 'who is rolling back (default: $USER)')
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        `
Examples:
  modelpin rollback classify                      # edit models.yml: production -> previous pin
  modelpin rollback classify --live --reason "fenced JSON in prod" --gateway http://127.0.0.1:4000
  modelpin rollback classify --live --to sim/sim-chat-2026-01-15 --reason "incident 42"`,
      )
      .action(action(async (route: string, o: RollbackOpts) => (o.live ? live(route, o) : file(route, o))));
  },
};

async function file(route: string, o: RollbackOpts): Promise<number> {
  if (o.to || o.reason || o.gateway || o.ttl)
    throw new UsageError('--to, --reason, --ttl and --gateway apply only with --live');
  const loaded = await loadForCli(o.config);
  const plan = planFileRollback(loaded.text, route, o.env, loaded.path, (p) => loaded.sourcePath(p));
  writeFileSync(loaded.path, plan.text);
  await withStore(loaded, (store) =>
    audit(store, clockFromEnv(), {
      actor: defaultActor(o.actor),
      action: 'rollback.file',
      route,
      detail: { env: o.env, from: plan.from, to: plan.to, file: loaded.path },
    }),
  ).catch(() => undefined);
  if (o.json) printJson({ route, env: o.env, from: plan.from, to: plan.to, file: loaded.path });
  else {
    console.log(`${pc.green('rolled back')} ${route} ${o.env}: ${plan.from} -> ${plan.to} in ${loaded.path}`);
    console.log(`previous is now ${plan.from}. Commit and deploy; for an immediate switch use --live.`);
  }
  return EXIT.ok;
}

async function live(route: string, o: RollbackOpts): Promise<number> {
  if (!o.reason) throw new UsageError('--live needs --reason "..." (it is written to the audit log)');
  const body = {
    route,
    env: o.env,
    reason: o.reason,
    actor: defaultActor(o.actor),
    ...(o.to ? { target: o.to } : {}),
    ...(o.ttl ? { ttl: o.ttl } : {}),
  };
  const record = await lifecycleBackend(o).setOverride(body);
  if (o.json) printJson({ override: record });
  else {
    console.log(
      `${pc.yellow('override set')} ${record.route} ${record.env} -> ${record.target} (by ${record.actor}: ${record.reason})`,
    );
    console.log(
      'Gateways sharing the store apply it within about a second. Clear it with: modelpin overrides clear ' +
        record.route,
    );
  }
  return EXIT.ok;
}

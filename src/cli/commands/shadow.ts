import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { defaultActor } from '../../lifecycle/audit.js';
import { lifecycleBackend } from '../../lifecycle/backend.js';
import { printJson, type LifecycleCliOptions } from '../../lifecycle/cli-support.js';
import { formatShadowReport } from '../../lifecycle/shadow/report.js';
import { lifecycleOptions } from '../lifecycle-options.js';

type Common = LifecycleCliOptions;

interface ShadowStartOpts extends Common {
  candidate: string;
  sample: string;
  reason?: string;
  ttl?: string;
}

export const command: CommandModule = {
  register(program: Command) {
    const shadow = addCommand(program, 'shadow');
    lifecycleOptions(
      shadow
        .command('report')
        .description('drift report from mirrored traffic: assertion pass rates, token delta, fenced share')
        .argument('[route]', 'route name'),
    ).action(
      action(async (route: string | undefined, o: Common) => {
        const reports = await lifecycleBackend(o).shadowReports(route);
        if (o.json) printJson({ reports });
        else if (reports.length === 0) console.log('no shadow traffic recorded');
        else for (const r of reports) console.log(formatShadowReport(r));
        return EXIT.ok;
      }),
    );
    lifecycleOptions(
      shadow
        .command('start')
        .description(
          'mirror a share of a route to a candidate until stopped; kept in the store, so restarts and every gateway sharing it follow (audited)',
        )
        .argument('<route>', 'route name'),
    )
      .requiredOption('--candidate <provider/model>', 'the target that receives the mirrored requests')
      .requiredOption('--sample <share>', 'share of requests mirrored, in (0, 1], e.g. 0.1')
      .option('--reason <text>', 'why (audited)')
      .option(
        '--ttl <duration>',
        'stop on its own after e.g. 24h (default: until stopped); a forgotten mirror keeps costing',
      )
      .addHelpText(
        'after',
        '\nExample:\n  modelpin shadow start classify --candidate sim/sim-chat-2026-11-25 --sample 0.1 --ttl 24h --reason "try the November snapshot"',
      )
      .action(
        action(async (route: string, o: ShadowStartOpts) => {
          const actor = defaultActor(o.actor);
          const rec = await lifecycleBackend(o).startShadow({
            route,
            env: o.env,
            candidate: o.candidate,
            sample: Number(o.sample),
            actor,
            ...(o.reason ? { reason: o.reason } : {}),
            ...(o.ttl ? { ttl: o.ttl } : {}),
          });
          if (o.json) printJson({ shadow: rec });
          else {
            const until = rec.expiresAt === null ? 'until stopped' : `until ${new Date(rec.expiresAt).toISOString()}`;
            console.log(
              `${pc.green('shadow started')} ${rec.route} (${rec.env}): ${(rec.sample * 100).toFixed(1)}% mirrored to ${rec.candidate}, ${until}`,
            );
          }
          return EXIT.ok;
        }),
      );
    lifecycleOptions(
      shadow
        .command('stop')
        .description('stop a runtime shadow (audited); a shadow: in models.yml stays until removed there')
        .argument('<route>', 'route name'),
    ).action(
      action(async (route: string, o: Common) => {
        const stopped = await lifecycleBackend(o).stopShadow(route, o.env, defaultActor(o.actor));
        if (o.json) printJson({ route, env: o.env, stopped });
        else
          console.log(
            stopped ? `stopped the runtime shadow of ${route} (${o.env})` : `no runtime shadow for ${route} (${o.env})`,
          );
        return stopped ? EXIT.ok : EXIT.failed;
      }),
    );
  },
};

import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { defaultActor } from '../../lifecycle/audit.js';
import { lifecycleBackend } from '../../lifecycle/backend.js';
import { printJson, type LifecycleCliOptions } from '../../lifecycle/cli-support.js';
import { formatCanaryStatus } from '../../lifecycle/canary/format.js';
import { parseRamp, type CanaryStart } from '../../lifecycle/canary/plan.js';
import type { GuardName } from '../../lifecycle/canary/guards.js';
import { formatShadowReport } from '../../lifecycle/shadow/report.js';
import { lifecycleOptions } from '../lifecycle-options.js';

type Common = LifecycleCliOptions;

interface StartOpts extends Common {
  candidate: string;
  percent: string;
  ramp?: string;
  hold: string;
  maxErrorRateDelta?: string;
  maxP95Ratio?: string;
  maxCostRatio?: string;
  minFormatValid?: string;
  minSamples?: string;
  stickyBy?: string;
  reason?: string;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} expects a non-negative number, got "${v}"`);
  return n;
}

function startInput(route: string, o: StartOpts): CanaryStart {
  const guards: Partial<Record<GuardName, number>> = {};
  const g: Array<[GuardName, string, string | undefined]> = [
    ['max_error_rate_delta', '--max-error-rate-delta', o.maxErrorRateDelta],
    ['max_p95_ratio', '--max-p95-ratio', o.maxP95Ratio],
    ['max_cost_ratio', '--max-cost-ratio', o.maxCostRatio],
    ['min_format_valid', '--min-format-valid', o.minFormatValid],
    ['min_samples', '--min-samples', o.minSamples],
  ];
  for (const [name, flag, v] of g) {
    const n = num(flag, v);
    if (n !== undefined) guards[name] = n;
  }
  const percent = num('--percent', o.percent);
  if (percent === undefined || percent <= 0 || percent > 100)
    throw new UsageError(`--percent expects a number in (0, 100], got "${o.percent}"`);
  return {
    route,
    env: o.env,
    candidate: o.candidate,
    percent,
    hold: o.hold,
    guards,
    actor: defaultActor(o.actor),
    ...(o.ramp ? { ramp: parseRamp(o.ramp) } : {}),
    ...(o.stickyBy ? { sticky_by: o.stickyBy } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
  };
}

export const command: CommandModule = {
  register(program: Command) {
    const cmd = addCommand(program, 'canary');

    lifecycleOptions(
      cmd
        .command('start')
        .description('start a canary (the gateway canary controller judges and ramps it)')
        .argument('<route>', 'route name'),
    )
      .requiredOption('--candidate <provider/model>', 'the target to try')
      .option('--percent <n>', 'first step: share of traffic to the candidate', '5')
      .option('--ramp <list>', 'ramp steps, e.g. 5,25,50,100')
      .option('--hold <duration>', 'how long each step must hold within guards', '24h')
      .option('--max-error-rate-delta <x>', 'guard: canary error rate minus stable (0..1)', undefined)
      .option('--max-p95-ratio <x>', 'guard: canary p95 latency / stable p95')
      .option('--max-cost-ratio <x>', 'guard: canary cost per request / stable')
      .option('--min-format-valid <x>', 'guard: minimum share of format-valid answers (0..1)')
      .option('--min-samples <n>', 'requests per arm before the guards judge')
      .option('--sticky-by <header:name>', 'keep a caller in one arm, e.g. header:x-user-id')
      .option('--reason <text>', 'why (audited)')
      .addHelpText(
        'after',
        '\nExample:\n  modelpin canary start classify --candidate sim/sim-chat-2026-12-10 --percent 5 --ramp 5,25,50,100 --hold 24h --gateway http://127.0.0.1:4000',
      )
      .action(
        action(async (route: string, o: StartOpts) => {
          const input = startInput(route, o);
          const rec = await lifecycleBackend(o).startCanary({ ...input, env: o.env, actor: input.actor ?? 'unknown' });
          if (o.json) printJson({ canary: rec });
          else
            console.log(
              `${pc.green('canary started')} ${rec.route} (${rec.env}): ${rec.percent}% -> ${rec.candidate}, ramp ${rec.ramp.join(',')}, stable ${rec.stable}`,
            );
          return EXIT.ok;
        }),
      );

    lifecycleOptions(
      cmd
        .command('status')
        .description("show canaries with both arms' stats and shadow drift")
        .argument('[route]', 'route name'),
    ).action(
      action(async (route: string | undefined, o: Common) => {
        const backend = lifecycleBackend(o);
        const views = await backend.canaryStatuses(route);
        const shadows = (await backend.shadowReports(route)).filter((r) => r.pairs > 0);
        if (o.json) printJson({ canaries: views, shadow: shadows });
        else {
          if (views.length === 0) console.log(route ? `no canary for ${route}` : 'no canaries');
          for (const v of views) console.log(formatCanaryStatus(v));
          for (const s of shadows) console.log(formatShadowReport(s));
        }
        return EXIT.ok;
      }),
    );

    lifecycleOptions(
      cmd
        .command('abort')
        .description('stop a running canary: all traffic back to stable (audited)')
        .argument('<route>', 'route name'),
    )
      .option('--reason <text>', 'why', 'aborted from the CLI')
      .action(
        action(async (route: string, o: Common & { reason: string }) => {
          const actor = defaultActor(o.actor);
          const rec = await lifecycleBackend(o).abortCanary(route, o.env, actor, o.reason);
          if (o.json) printJson({ canary: rec });
          else
            console.log(`${pc.yellow('canary aborted')} ${rec.route} (${rec.env}); all traffic back to ${rec.stable}`);
          return EXIT.ok;
        }),
      );
  },
};

import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import type { CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { clockFromEnv } from '../../core/clock.js';
import { adminCall, type AdminTarget } from '../../lifecycle/admin/client.js';
import { defaultActor } from '../../lifecycle/audit.js';
import { DEFAULT_ADMIN_TOKEN_ENV, loadForCli, printJson, withDeps, withStore, type LifecycleCliOptions } from '../../lifecycle/cli-support.js';
import { abortCanary, canaryStatus, startCanary, type CanaryStatusView } from '../../lifecycle/canary/ops.js';
import { formatCanaryStatus } from '../../lifecycle/canary/format.js';
import { parseRamp, type CanaryStart } from '../../lifecycle/canary/plan.js';
import type { GuardName } from '../../lifecycle/canary/guards.js';
import { SHADOW_REPORT_MAX_PAIRS, formatShadowReport, shadowReport, type ShadowReport } from '../../lifecycle/shadow/report.js';
import { startShadow, stopShadow, type ShadowStart } from '../../lifecycle/shadow/ops.js';
import type { CanaryRecord, RuntimeShadowRecord } from '../../store/types.js';

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

function common(c: Command): Command {
  return c
    .option('-c, --config <file>', 'models.yml path', 'models.yml')
    .option('--env <name>', 'environment', 'production')
    .option('--gateway <url>', 'gateway base URL; without it the store is used directly')
    .option('--admin-token-env <var>', 'env var holding the gateway admin token', DEFAULT_ADMIN_TOKEN_ENV)
    .option('--actor <name>', 'who does it (default: $USER)')
    .option('--json', 'print JSON');
}

const admin = (o: Common): AdminTarget => ({ url: o.gateway ?? '', tokenEnv: o.adminTokenEnv });

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
  if (percent === undefined || percent <= 0 || percent > 100) throw new UsageError(`--percent expects a number in (0, 100], got "${o.percent}"`);
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

async function statuses(o: Common, route: string | undefined): Promise<CanaryStatusView[]> {
  if (o.gateway) {
    const q = route ? `?route=${encodeURIComponent(route)}` : '';
    return ((await adminCall(admin(o), 'GET', `/admin/canary${q}`)) as { canaries: CanaryStatusView[] }).canaries;
  }
  const loaded = await loadForCli(o.config);
  return withStore(loaded, async (store) => {
    const now = clockFromEnv().now();
    const records = (await store.listCanaries()).filter((r) => route === undefined || r.route === route);
    return Promise.all(records.map((r) => canaryStatus(store, r, now)));
  });
}

interface ShadowStartOpts extends Common {
  candidate: string;
  sample: string;
  reason?: string;
  ttl?: string;
}

async function startRuntimeShadow(route: string, o: ShadowStartOpts): Promise<RuntimeShadowRecord> {
  const input: ShadowStart = {
    route,
    env: o.env,
    candidate: o.candidate,
    sample: Number(o.sample),
    actor: defaultActor(o.actor),
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.ttl ? { ttl: o.ttl } : {}),
  };
  if (o.gateway) return ((await adminCall(admin(o), 'POST', '/admin/shadow', input)) as { shadow: RuntimeShadowRecord }).shadow;
  return withDeps(await loadForCli(o.config), (deps) => startShadow(deps, input, { env: o.env, actor: defaultActor(o.actor) }));
}

async function stopRuntimeShadow(route: string, o: Common): Promise<boolean> {
  const actor = defaultActor(o.actor);
  if (!o.gateway) return withStore(await loadForCli(o.config), (store) => stopShadow({ store, clock: clockFromEnv() }, route, o.env, actor));
  try {
    const q = new URLSearchParams({ route, env: o.env, actor });
    return ((await adminCall(admin(o), 'DELETE', `/admin/shadow?${q}`)) as { stopped: boolean }).stopped;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

async function shadowReports(o: Common, route: string | undefined): Promise<ShadowReport[]> {
  if (o.gateway) {
    const q = route ? `?route=${encodeURIComponent(route)}` : '';
    return ((await adminCall(admin(o), 'GET', `/admin/shadow${q}`)) as { reports: ShadowReport[] }).reports;
  }
  const loaded = await loadForCli(o.config);
  return withStore(loaded, async (store) => {
    const pairs = await store.listShadowPairs(route, undefined, SHADOW_REPORT_MAX_PAIRS);
    const routes = route ? [route] : [...new Set(pairs.map((p) => p.route))];
    return routes.map((r) => shadowReport(r, pairs));
  });
}

export const command: CommandModule = {
  register(program: Command) {
    const cmd = program.command('canary').description('Send a share of a route to a candidate, ramp it up, and roll it back automatically when guards breach');

    common(cmd.command('start').description('start a canary (the gateway canary controller judges and ramps it)').argument('<route>', 'route name'))
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
      .addHelpText('after', '\nExample:\n  modelpin canary start classify --candidate sim/sim-chat-2026-12-10 --percent 5 --ramp 5,25,50,100 --hold 24h --gateway http://127.0.0.1:4000')
      .action(
        action(async (route: string, o: StartOpts) => {
          const input = startInput(route, o);
          let rec: CanaryRecord;
          if (o.gateway) rec = ((await adminCall(admin(o), 'POST', '/admin/canary', { action: 'start', ...input })) as { canary: CanaryRecord }).canary;
          else rec = await withDeps(await loadForCli(o.config), (deps) => startCanary(deps, input, { env: o.env, actor: input.actor ?? 'unknown' }));
          if (o.json) printJson({ canary: rec });
          else console.log(`${pc.green('canary started')} ${rec.route} (${rec.env}): ${rec.percent}% -> ${rec.candidate}, ramp ${rec.ramp.join(',')}, stable ${rec.stable}`);
          return EXIT.ok;
        }),
      );

    common(cmd.command('status').description('show canaries with both arms\' stats and shadow drift').argument('[route]', 'route name')).action(
      action(async (route: string | undefined, o: Common) => {
        const views = await statuses(o, route);
        const shadows = (await shadowReports(o, route)).filter((r) => r.pairs > 0);
        if (o.json) printJson({ canaries: views, shadow: shadows });
        else {
          if (views.length === 0) console.log(route ? `no canary for ${route}` : 'no canaries');
          for (const v of views) console.log(formatCanaryStatus(v));
          for (const s of shadows) console.log(formatShadowReport(s));
        }
        return EXIT.ok;
      }),
    );

    common(cmd.command('abort').description('stop a running canary: all traffic back to stable (audited)').argument('<route>', 'route name'))
      .option('--reason <text>', 'why', 'aborted from the CLI')
      .action(
        action(async (route: string, o: Common & { reason: string }) => {
          const actor = defaultActor(o.actor);
          let rec: CanaryRecord;
          if (o.gateway) rec = ((await adminCall(admin(o), 'POST', '/admin/canary', { action: 'abort', route, env: o.env, reason: o.reason, actor })) as { canary: CanaryRecord }).canary;
          else rec = await withStore(await loadForCli(o.config), (store) => abortCanary({ store, clock: clockFromEnv() }, route, o.env, actor, o.reason));
          if (o.json) printJson({ canary: rec });
          else console.log(`${pc.yellow('canary aborted')} ${rec.route} (${rec.env}); all traffic back to ${rec.stable}`);
          return EXIT.ok;
        }),
      );

    const shadow = program.command('shadow').description('Mirrored (shadow) traffic: drift of a candidate measured on real requests');
    common(shadow.command('report').description('drift report from mirrored traffic: assertion pass rates, token delta, fenced share').argument('[route]', 'route name')).action(
      action(async (route: string | undefined, o: Common) => {
        const reports = await shadowReports(o, route);
        if (o.json) printJson({ reports });
        else if (reports.length === 0) console.log('no shadow traffic recorded');
        else for (const r of reports) console.log(formatShadowReport(r));
        return EXIT.ok;
      }),
    );
    common(shadow.command('start').description('mirror a share of a route to a candidate until stopped; kept in the store, so restarts and every gateway sharing it follow (audited)').argument('<route>', 'route name'))
      .requiredOption('--candidate <provider/model>', 'the target that receives the mirrored requests')
      .requiredOption('--sample <share>', 'share of requests mirrored, in (0, 1], e.g. 0.1')
      .option('--reason <text>', 'why (audited)')
      .option('--ttl <duration>', 'stop on its own after e.g. 24h (default: until stopped); a forgotten mirror keeps costing')
      .addHelpText('after', '\nExample:\n  modelpin shadow start classify --candidate sim/sim-chat-2026-11-25 --sample 0.1 --ttl 24h --reason "try the November snapshot"')
      .action(
        action(async (route: string, o: ShadowStartOpts) => {
          const rec = await startRuntimeShadow(route, o);
          if (o.json) printJson({ shadow: rec });
          else {
            const until = rec.expiresAt === null ? 'until stopped' : `until ${new Date(rec.expiresAt).toISOString()}`;
            console.log(`${pc.green('shadow started')} ${rec.route} (${rec.env}): ${(rec.sample * 100).toFixed(1)}% mirrored to ${rec.candidate}, ${until}`);
          }
          return EXIT.ok;
        }),
      );
    common(shadow.command('stop').description('stop a runtime shadow (audited); a shadow: in models.yml stays until removed there').argument('<route>', 'route name')).action(
      action(async (route: string, o: Common) => {
        const stopped = await stopRuntimeShadow(route, o);
        if (o.json) printJson({ route, env: o.env, stopped });
        else console.log(stopped ? `stopped the runtime shadow of ${route} (${o.env})` : `no runtime shadow for ${route} (${o.env})`);
        return stopped ? EXIT.ok : EXIT.failed;
      }),
    );
  },
};

/**
 * `modelpin eval`: load models.yml and suites, build the arms (env, forced model, or gateway),
 * run, compare, write reports, record history, and pick the exit code. Effects come in through
 * `EvalIo` so tests drive it in-process.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { providerSettings, resolveRoute } from '../config/resolve.js';
import { capabilitiesOf, loadCatalog } from '../catalog/catalog.js';
import type { ModelCapabilities } from '../wire/capabilities.js';
import { openStore } from '../store/open.js';
import { KEY_REQUIRED, type ProviderClient, type ProviderSettings } from '../providers/types.js';
import { createProviderClient } from '../providers/registry.js';
import { EXIT } from '../cli/exit-codes.js';
import { loadSuites } from './load-suite.js';
import { envArm, gatewayArm, modelArm, type ArmDeps } from './arms.js';
import { gatewayCall } from './gateway-caller.js';
import type { Arm } from './run-types.js';
import { runEvals, type Embedder } from './runner.js';
import { diskCache, type ResponseCache } from './cache.js';
import type { RateLimit, Sleep } from './rate-limit.js';
import { compareArms } from './compare.js';
import { REPORTERS } from './reports/registry.js';
import type { EvalReport, ReportFormat } from './reports/types.js';
import { consoleSummary } from './reports/console.js';
import { progressReporter } from './progress.js';
import { recordRun } from './record.js';
import { DEFAULT_RETRY } from './call-policy.js';
import { DEFAULT_ALPHA, parseFloors, reachability, reachabilityLine } from './signals.js';
import type { LoadedSuite } from './suite-types.js';
import { loadEvalTelemetry } from '../telemetry/load.js';
import type { Logger } from '../core/logger.js';

export interface EvalFlags {
  config?: string;
  env?: string;
  route?: string;
  model?: string;
  compare?: string[];
  compareModels?: string[];
  repeat?: string;
  concurrency?: string;
  /** commander's --no-cache sets this false. */
  cache?: boolean;
  record?: boolean;
  timeout?: string;
  retries?: string;
  rateLimit?: string[];
  gateway?: string;
  today?: string;
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  alpha?: string;
  floor?: string[];
  quiet?: boolean;
}

export type ClientFactory = (
  settings: ProviderSettings,
  deps: { clock: Clock; capabilities?: (model: string) => ModelCapabilities | undefined },
) => ProviderClient;

export interface EvalIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  clock: Clock;
  tty: boolean;
  /** Aborted on SIGINT by the CLI; tests abort it directly. */
  signal?: AbortSignal;
  clientFactory?: ClientFactory;
  sleep?: Sleep;
}

function int(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** `--today 2026-11-25`: time starts at noon UTC that day and runs forward (alias moves, history days). */
export function clockForToday(today: string | undefined, base: Clock): Clock {
  if (today === undefined) return base;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T12:00:00Z`)))
    throw new UsageError(`--today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const start = Date.parse(`${today}T12:00:00Z`);
  const real = base.now();
  return { now: () => start + (base.now() - real) };
}

export function parseRateLimits(specs: readonly string[] = []): Record<string, RateLimit> {
  const out: Record<string, RateLimit> = {};
  for (const s of specs) {
    const m = /^([A-Za-z0-9_.-]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(s);
    if (!m?.[1] || !m[2])
      throw new UsageError(`--rate-limit "${s}" must look like provider=requests_per_second[:burst], e.g. sim=20:5`);
    out[m[1]] = { perSecond: Number(m[2]), ...(m[3] ? { burst: Number(m[3]) } : {}) };
  }
  return out;
}

function pair(v: string[] | undefined, flag: string): [string, string] | undefined {
  if (v === undefined) return undefined;
  if (v.length !== 2 || !v[0] || !v[1])
    throw new UsageError(`${flag} takes exactly two values, got ${v.length}: ${v.join(' ')}`);
  return [v[0], v[1]];
}

/**
 * A provider under test without its key would spend the whole run on retried 401s and exit 1;
 * callers are resolved before any call, so this refuses the run up front (exit 2).
 */
function missingKey(id: string, config: LoadedConfig): ConfigError {
  const vars = [
    ...new Set(
      config.interpolations
        .filter((i) => i.path[0] === 'providers' && i.path[1] === id && i.path[2] === 'api_key')
        .flatMap((i) => i.missing),
    ),
  ];
  const why =
    vars.length > 0
      ? `${vars.map((v) => `\${${v}}`).join(', ')} ${vars.length === 1 ? 'is' : 'are'} not set`
      : `providers.${id}.api_key is not set`;
  return new ConfigError(
    `provider "${id}" has no API key (${why}); a route under test calls it. Set it, or eval an environment that does not use it`,
    { path: `providers.${id}.api_key` },
  );
}

/**
 * A recorded run is evidence for promotion: it must come from fresh answers, or a streak could be
 * built in seconds from one cached night. Under --record the cache is written, never read.
 */
function runCache(cache: ResponseCache, record: boolean): ResponseCache {
  return record ? { get: () => undefined, set: (k, v) => cache.set(k, v) } : cache;
}

/** Samples each case will get on each side, known before any call: what the compare's tests can reach. */
function plannedSamples(
  suites: readonly LoadedSuite[],
  route: string | undefined,
  repeat: number | undefined,
): number[] {
  const out: number[] = [];
  for (const s of suites) {
    for (const c of s.cases) {
      const routes =
        c.routes.length === 0 ? 1 : route === undefined ? c.routes.length : c.routes.filter((r) => r === route).length;
      for (let i = 0; i < routes; i++) out.push(repeat ?? c.repeat);
    }
  }
  return out;
}

function parseAlpha(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_ALPHA;
  const a = Number(raw);
  if (!Number.isFinite(a) || a <= 0 || a > 0.5)
    throw new UsageError(`--alpha must be a number above 0 and at most 0.5, got ${JSON.stringify(raw)}`);
  return a;
}

const defaultFactory: ClientFactory = (settings, deps) => createProviderClient(settings, deps);

export async function runEvalCommand(suitePaths: string[], flags: EvalFlags, io: EvalIo): Promise<number> {
  const repeat = int(flags.repeat, '--repeat', 1, 1000);
  const concurrency = int(flags.concurrency, '--concurrency', 1, 1024) ?? 8;
  const timeoutMs = int(flags.timeout, '--timeout', 1, 3_600_000);
  const retries = int(flags.retries, '--retries', 0, 10);
  const rateLimits = parseRateLimits(flags.rateLimit);
  const compare = pair(flags.compare, '--compare');
  const compareModels = pair(flags.compareModels, '--compare-models');
  if (compare && compareModels) throw new UsageError('use --compare or --compare-models, not both');
  if (flags.model && (compare || compareModels))
    throw new UsageError('--model cannot be combined with --compare/--compare-models');
  if (flags.gateway && (compare || compareModels || flags.model))
    throw new UsageError(
      '--gateway serves one environment: it cannot be combined with --compare, --compare-models or --model',
    );
  if (flags.env && compare) throw new UsageError('--compare names both environments; drop --env');
  const alpha = parseAlpha(flags.alpha);
  const { floors, errors: floorErrors } = parseFloors(flags.floor);
  if (floorErrors.length > 0) throw new UsageError(floorErrors.join('; '));
  const clock = clockForToday(flags.today, io.clock);
  const env = flags.env ?? 'production';

  const configPath = resolve(io.cwd, flags.config ?? 'models.yml');
  if (!existsSync(configPath))
    throw new ConfigError(`${flags.config ?? 'models.yml'}: not found (pass --config <file>)`, { file: configPath });
  const config: LoadedConfig = loadConfig(configPath, { env: io.env });
  const file = config.file;
  const suites = await loadSuites(suitePaths.length > 0 ? suitePaths : ['evals'], io.cwd);
  const catalog = loadCatalog({ file, baseDir: config.baseDir });

  const factory = io.clientFactory ?? defaultFactory;
  const clients = new Map<string, ProviderClient>();
  // Created on first use: a provider no tested route touches (and its unset key) never matters.
  const deps: ArmDeps = {
    file,
    catalog,
    envVars: io.env,
    client: (id) => {
      let c = clients.get(id);
      if (!c) {
        const settings = providerSettings(file, id);
        if (KEY_REQUIRED.has(settings.type) && !settings.apiKey) throw missingKey(id, config);
        // Reasoning and structured-output settings in cases are translated for the model under test, as the gateway does.
        c = factory(settings, { clock, capabilities: (model) => capabilitiesOf(catalog, id, model) });
        clients.set(id, c);
      }
      return c;
    },
  };

  let arms: Arm[];
  // Judges resolve in production: the grader stays pinned while the model under test moves.
  let judgeArm: Arm = envArm('production', deps);
  if (flags.gateway) {
    if (!/^https?:\/\//.test(flags.gateway))
      throw new UsageError(`--gateway must be an http(s) URL, got ${JSON.stringify(flags.gateway)}`);
    const key = io.env.MODELPIN_GATEWAY_KEY;
    arms = [
      gatewayArm(
        env,
        gatewayCall(flags.gateway, { ...(key ? { apiKey: key } : {}), now: () => clock.now() }),
        catalog,
        Object.keys(file.providers),
      ),
    ];
    judgeArm = arms[0] as Arm;
  } else if (compare) {
    arms = compare.map((e) => envArm(e, deps));
  } else if (compareModels) {
    arms = compareModels.map((m) => modelArm(m, env, deps));
  } else {
    arms = [flags.model ? modelArm(flags.model, env, deps) : envArm(env, deps)];
  }

  const embedder = (route: string): Embedder => {
    // Like judges, embeddings grade: they resolve in production (the measure stays pinned while the
    // model under test moves), or in the run's env for a route with no production target.
    const gradeEnv = file.routes[route]?.targets.production !== undefined ? 'production' : env;
    const t = resolveRoute(file, route, gradeEnv, { envVars: io.env }).target;
    const client = deps.client(t.provider);
    if (!client.embed) {
      throw new ConfigError(
        `similar-to metric "embedding": route "${route}" uses provider "${t.provider}" (${client.type}), which does not implement embed; use metric "cosine" or "levenshtein"`,
      );
    }
    const embed = client.embed.bind(client);
    // Same deadline and Ctrl-C as the calls under test: an embeddings call must not outlive the run.
    const perCall = timeoutMs ?? t.timeoutMs;
    const opts = {
      ...(perCall !== undefined ? { timeoutMs: perCall } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    };
    // Grading needs the vectors only; the provider's model and usage are not part of a verdict.
    return async (texts) => (await embed({ texts }, t.model, opts)).vectors;
  };

  const power = compare || compareModels ? reachability(plannedSamples(suites, flags.route, repeat), alpha) : undefined;
  // Said before any call is spent: a run that cannot show significance should be known as such up front.
  if (power && !flags.quiet) io.err(reachabilityLine(power));

  // Export problems go to stderr, where a run's progress goes: never to stdout, which may be a report.
  const telemetryLog: Logger = {
    log: (level, msg, fields) =>
      void (level === 'warn' || level === 'error'
        ? io.err(`${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`)
        : undefined),
  };
  const telemetry = await loadEvalTelemetry(io.env, file.telemetry, telemetryLog);
  const progress = progressReporter({ tty: io.tty, quiet: flags.quiet === true, write: io.err });
  let run;
  try {
    run = await runEvals({
      suites,
      arms,
      ...(flags.route ? { route: flags.route } : {}),
      ...(flags.model || compareModels ? { fallbackRoute: 'default' } : {}),
      ...(repeat !== undefined ? { repeat } : {}),
      concurrency,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      retry: { ...DEFAULT_RETRY, ...(retries !== undefined ? { maxAttempts: retries + 1 } : {}) },
      rateLimits,
      ...(flags.cache !== false
        ? { cache: runCache(diskCache(join(config.baseDir, '.modelpin', 'cache'), { clock }), flags.record === true) }
        : {}),
      judge: (route) => judgeArm.resolve(route),
      embedder,
      clock,
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onProgress: progress.onProgress,
      ...(telemetry
        ? { trace: telemetry.run({ suites: suites.map((x) => x.name), arms: arms.map((a) => a.name) }) }
        : {}),
    });
  } finally {
    progress.stop();
    await Promise.all([...clients.values()].map((c) => c.close?.()));
    await telemetry?.shutdown();
  }

  const [a, b] = run.arms;
  const cmp = a && b ? compareArms(a, b, { alpha, floors }) : undefined;
  let exitCode: number = EXIT.ok;
  if (run.interrupted) exitCode = EXIT.interrupted;
  else if (cmp)
    exitCode = cmp.verdict === 'drift' ? EXIT.failed : cmp.verdict === 'insufficient' ? EXIT.insufficient : EXIT.ok;
  else if (run.arms.some((x) => x.summary.failed > 0 || x.summary.errored > 0)) exitCode = EXIT.failed;
  const report: EvalReport = {
    tool: 'modelpin',
    run,
    ...(cmp ? { compare: cmp } : {}),
    ...(power ? { reachability: power } : {}),
    exitCode,
  };

  const outputs: Array<[ReportFormat, string | undefined]> = [
    ['json', flags.json],
    ['junit', flags.junit],
    ['markdown', flags.markdown],
    ['html', flags.html],
  ];
  const written: string[] = [];
  for (const [format, path] of outputs) {
    if (path === undefined) continue;
    const text = REPORTERS[format].render(report);
    if (path === '-') io.out(text.trimEnd());
    else {
      const abs = resolve(io.cwd, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      written.push(`wrote ${format} report: ${abs}`);
    }
  }

  if (flags.json !== '-') for (const line of consoleSummary(report, { quiet: flags.quiet === true })) io.out(line);
  // On stderr: stdout may itself be a report (`--junit -`), and a path in it would corrupt that.
  if (!flags.quiet) for (const line of written) io.err(line);

  if (flags.record) {
    if (run.interrupted) io.err('not recording: the run was interrupted (a partial run is not evidence either way)');
    else {
      const store = await openStore(file.store, { baseDir: config.baseDir, clock });
      try {
        const records = await recordRun(store, run);
        if (!flags.quiet) io.err(`recorded ${records.length} eval run${records.length === 1 ? '' : 's'} in the store`);
      } finally {
        await store.close();
      }
    }
  }
  return exitCode;
}

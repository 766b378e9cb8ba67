import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/catalog.js';
import { loadConfigSafe, parseConfig, type LoadedConfig } from '../../config/load.js';
import { pc } from '../../core/color.js';
import { StoreError, UsageError } from '../../core/errors.js';
import { lintConfig } from '../../lint/lint.js';
import { planPins, type PinPlan, type ServedEvidence } from '../../lifecycle/promote/pin-plan.js';
import { setTargets } from '../../lifecycle/promote/yaml-edit.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { openStore } from '../../store/open.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';
import { todayFrom } from './lint.js';

export interface PinOptions {
  config?: string;
  env?: string;
  today?: string;
  store?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** How far back the store's usage is read for the model each alias really served. */
const SERVED_WINDOW_MS = 14 * 86_400_000;

/**
 * Latest successful served model per `provider/model` target, from recent usage of the routes that
 * float (only those are read: a busy store holds far more rows than pinning needs); empty without a store file.
 */
async function servedEvidence(
  loaded: LoadedConfig,
  env: string,
  now: number,
  routes: ReadonlySet<string>,
): Promise<{ byRef: Map<string, ServedEvidence>; note: string }> {
  let store;
  try {
    store = await openStore(loaded.file.store, { baseDir: loaded.baseDir, mustExist: true });
  } catch (e) {
    if (e instanceof StoreError && /does not exist/.test(e.message))
      return { byRef: new Map(), note: 'no store yet: evidence from the catalog only' };
    throw e;
  }
  try {
    const byRef = new Map<string, ServedEvidence>();
    // One row per (target, served model) from the rollups, however many requests the routes served.
    const groups = await store.queryRollups({
      sinceMs: now - SERVED_WINDOW_MS,
      untilMs: now + 1,
      env,
      routes: [...routes],
      by: ['target', 'servedModel'],
      histograms: false,
    });
    for (const g of groups) {
      const { target, servedModel } = g.group;
      if (!target || !servedModel || g.lastOkTs === null) continue;
      const seen = byRef.get(target);
      if (!seen || g.lastOkTs > seen.lastSeen) byRef.set(target, { servedModel, lastSeen: g.lastOkTs });
    }
    return {
      byRef,
      note: `served models from the store's last 14 days of ${env} usage (${byRef.size} target(s) seen)`,
    };
  } finally {
    await store.close();
  }
}

export async function runPin(routes: string[], opts: PinOptions, io: CliIo): Promise<number> {
  const env = opts.env ?? 'production';
  const today = todayFrom(opts.today, io);
  const file = opts.config ?? 'models.yml';
  const abs = resolve(io.cwd, file);
  const loaded = loadConfigSafe(abs, { env: io.env, displayName: file });
  for (const r of routes) {
    if (!loaded.file.routes[r])
      throw new UsageError(
        `unknown route "${r}" (routes in ${file}: ${Object.keys(loaded.file.routes).join(', ') || 'none'})`,
      );
  }
  const catalog = loadCatalog({ file: loaded.file, baseDir: loaded.baseDir });
  const base = { file: loaded.file, catalog, env, today, routes };
  // A first pass names the routes that float, so only their usage is read for served-model evidence.
  const first = planPins(base);
  const floating = new Set([...first.proposals, ...first.unresolved].map((p) => p.route));
  const evidence =
    opts.store === false
      ? {
          byRef: new Map<string, ServedEvidence>(),
          note: 'store not read (--no-store): evidence from the catalog only',
        }
      : floating.size === 0
        ? { byRef: new Map<string, ServedEvidence>(), note: 'nothing floats: the store was not needed' }
        : await servedEvidence(loaded, env, io.clock.now(), floating);
  const plan = planPins({ ...base, served: (ref) => evidence.byRef.get(ref) });

  let remaining: string[] = [];
  if (plan.proposals.length > 0) {
    const text = setTargets(
      loaded.text,
      plan.proposals.map((p) => ({ path: p.path, target: p.to })),
      loaded.path,
      (p) => loaded.sourcePath(p),
    );
    // The edited file must still load and must not leave production floating where it was pinned.
    const next = parseConfig(text, loaded.path, { env: io.env });
    remaining = lintConfig(next, catalog, { env, today, envVars: io.env })
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.rule}: ${f.message}`);
    if (!opts.dryRun) writeFileSync(abs, text);
  }
  const exit = plan.unresolved.length > 0 ? EXIT.failed : EXIT.ok;
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          file,
          env,
          today,
          dryRun: opts.dryRun === true,
          evidence: evidence.note,
          ...plan,
          lintErrorsAfter: remaining,
        },
        null,
        2,
      ),
    );
    return exit;
  }
  io.out(render(plan, { file, env, dryRun: opts.dryRun === true, note: evidence.note, remaining }));
  return exit;
}

function render(
  plan: PinPlan,
  o: { file: string; env: string; dryRun: boolean; note: string; remaining: string[] },
): string {
  const lines: string[] = [pc.dim(o.note)];
  if (plan.proposals.length === 0 && plan.unresolved.length === 0)
    lines.push(`${pc.green('✓')} ${o.file}: no floating ${o.env} targets to pin`);
  for (const p of plan.proposals)
    lines.push(
      `${o.dryRun ? pc.cyan('would pin') : pc.green('pinned')} ${p.route} ${o.env} ${p.role}: ${p.from} -> ${p.to} (${p.detail})`,
    );
  for (const u of plan.unresolved) lines.push(`${pc.red('not pinned')} ${u.route} ${u.what}: ${u.why}`);
  for (const a of plan.allowed) lines.push(pc.dim(`left floating on purpose: ${a}`));
  if (plan.proposals.length > 0) {
    lines.push(
      o.dryRun
        ? `dry run: ${o.file} not changed`
        : `${o.file} updated; comments and layout kept. Review the diff, run your evals, commit.`,
    );
    if (o.remaining.length > 0)
      lines.push(
        pc.yellow(`lint still reports ${o.remaining.length} error(s) after pinning:`),
        ...o.remaining.map((r) => `  ${r}`),
      );
  }
  return lines.join('\n');
}

export function registerPin(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'pin')
    .argument('[routes...]', 'only these routes (default: all)')
    .option('-c, --config <file>', 'models.yml to edit', 'models.yml')
    .option('--env <env>', 'environment whose targets and fallbacks are pinned', 'production')
    .option('--today <YYYY-MM-DD>', 'resolve catalog alias mappings as of this day (default: today, UTC)')
    .option('--no-store', "do not read served models from the store's usage records")
    .option('--dry-run', 'show what would change; write nothing')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 nothing left floating, 1 some alias could not be pinned safely, 2 usage or config error.

Examples:
  modelpin pin --dry-run
  modelpin pin summarize --config models.yml
  modelpin pin --no-store --today 2026-11-23 --json`,
    )
    .action(action((routes: string[], o: PinOptions) => runPin(routes, o, io())));
}

export const command: CommandModule = { register: (program) => registerPin(program) };

import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { resolve as resolvePath } from 'node:path';
import { loadCatalog, type Catalog } from '../../catalog/catalog.js';
import { retiredReason } from '../../catalog/lifecycle.js';
import { isModelpinError } from '../../core/errors.js';
import { loadConfigSafe, type LoadedConfig } from '../../config/load.js';
import { resolveRoute, type Resolution } from '../../config/resolve.js';
import { targetRef, type Target } from '../../config/target.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import type { OverrideRecord } from '../../store/types.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface ResolveCliOptions {
  env?: string;
  config?: string;
  json?: boolean;
  store?: boolean;
}

interface StoreCheck {
  checked: boolean;
  where?: string;
  note: string;
  overrides: OverrideRecord[];
}

/** Runtime overrides live in the store; a missing store simply means there are none to apply. */
async function readOverrides(loaded: LoadedConfig, io: CliIo): Promise<StoreCheck> {
  try {
    const { openStore, describeStore } = await import('../../store/open.js');
    const where = describeStore(loaded.file.store, loaded.baseDir);
    const store = await openStore(loaded.file.store, { baseDir: loaded.baseDir, mustExist: true, clock: io.clock });
    try {
      const overrides = await store.listOverrides();
      return { checked: true, where, note: `checked ${where}`, overrides };
    } finally {
      await store.close();
    }
  } catch (e) {
    const msg = isModelpinError(e) || e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { checked: false, note: `not checked (${loaded.redact(msg ?? 'store unavailable')})`, overrides: [] };
  }
}

function describe(
  catalog: Catalog,
  t: Target,
  at: string,
): { ref: string; kind: string; reason: string; retires?: string } {
  const c = catalog.classify(t.model, t.provider, { at });
  return { ref: targetRef(t), kind: c.kind, reason: c.reason, ...(c.retires ? { retires: c.retires } : {}) };
}

export async function runResolve(route: string, opts: ResolveCliOptions, io: CliIo): Promise<number> {
  const file = opts.config ?? 'models.yml';
  const env = opts.env ?? 'production';
  const loaded = loadConfigSafe(resolvePath(io.cwd, file), { env: io.env, displayName: file });
  const catalog = loadCatalog({ file: loaded.file, baseDir: loaded.baseDir });
  const store: StoreCheck =
    opts.store === false
      ? { checked: false, note: 'not checked (--no-store)', overrides: [] }
      : await readOverrides(loaded, io);
  const now = io.clock.now();
  const at = new Date(now).toISOString().slice(0, 10);
  const retired = (t: Target): string | null => retiredReason(catalog, t.provider, t.model, at);
  const notes = loaded.notes
    .filter((n) => n.path[0] === 'routes' && n.path[1] === route && (n.path[2] !== 'targets' || n.path[3] === env))
    .map((n) => n.message);
  let res: Resolution;
  try {
    res = resolveRoute(loaded.file, route, env, { envVars: io.env, overrides: store.overrides, now, retired });
  } catch (e) {
    // As in the gateway: a runtime override that cannot be served is ignored; an env var that cannot be is an error (exit 2).
    if (!store.overrides.length || !isModelpinError(e) || e.code !== 'config_invalid') throw e;
    res = resolveRoute(loaded.file, route, env, { envVars: io.env, now, retired });
    notes.push(`runtime override ignored: ${e.message}`);
  }
  const model = describe(catalog, res.target, at);
  const fallback = res.fallback.map((t) => describe(catalog, t, at));

  if (opts.json) {
    io.out(
      loaded.redact(
        JSON.stringify(
          {
            ...res,
            model,
            fallbackModels: fallback,
            runtimeOverrides: { checked: store.checked, note: store.note },
            notes,
            shape: loaded.shape,
          },
          null,
          2,
        ),
      ),
    );
    return 0;
  }
  const lines = [`${pc.bold(route)} (${env}) -> ${pc.bold(targetRef(res.target))}  ${pc.dim(`[${model.kind}]`)}`];
  lines.push(
    `  source: ${res.source.kind === 'config' ? res.source.detail : pc.yellow(`${res.source.kind}: ${res.source.detail}`)}`,
  );
  if (res.source.kind !== 'config') lines.push(`  models.yml says: ${targetRef(res.configured)}`);
  lines.push(`  model: ${model.kind} — ${model.reason}${model.retires ? ` (retires ${model.retires})` : ''}`);
  if (res.target.params) lines.push(`  params: ${JSON.stringify(res.target.params)}`);
  lines.push(
    `  policy: ${res.policy}${res.reason ? ` (${res.reason})` : ''}; last validated: ${res.lastValidated ?? 'never'}`,
  );
  lines.push(`  env override: ${res.envVars.map((v) => `${v}${io.env[v] ? ' (set)' : ' (unset)'}`).join(', ')}`);
  lines.push(`  runtime overrides: ${store.note}`);
  if (fallback.length === 0) lines.push('  fallback: none');
  fallback.forEach((f, i) => lines.push(`  fallback ${i + 1}: ${f.ref} [${f.kind}]`));
  if (res.canary)
    lines.push(
      `  canary: ${res.canary.percent}% -> ${targetRef(res.canary.candidate)}${res.canary.ramp ? ` (ramp ${res.canary.ramp.join(' -> ')}%)` : ''}`,
    );
  if (res.shadow)
    lines.push(`  shadow: ${Math.round(res.shadow.sample * 100)}% mirrored to ${targetRef(res.shadow.candidate)}`);
  if (res.previous) lines.push(`  rollback target (previous): ${targetRef(res.previous)}`);
  for (const n of notes) lines.push(`  note: ${n}`);
  io.out(loaded.redact(lines.join('\n')));
  return 0;
}

export function registerResolve(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'resolve')
    .argument('<route>')
    .option('--env <env>', 'environment', 'production')
    .option('-c, --config <file>', 'models.yml', 'models.yml')
    .option('--no-store', 'do not read runtime overrides from the store')
    .option('--json', 'print the resolution as JSON')
    .addHelpText(
      'after',
      "\nPrecedence: runtime override (modelpin rollback/promote) > env var MODELPIN_<ROUTE>_<ENV> (or the route's env_var) > models.yml.\n\nExamples:\n  modelpin resolve summarize\n  MODELPIN_SUMMARIZE_PRODUCTION=sim/sim-chat-2026-12-10 modelpin resolve summarize --json",
    )
    .action(action((route: string, o: ResolveCliOptions) => runResolve(route, o, io())));
}

export const command: CommandModule = { register: (program) => registerResolve(program) };

import type { Command } from 'commander';

/** A CLI command module: registers itself (with --help text and options) on the root program. */
export interface CommandModule {
  register(program: Command): void;
}

type Loader = () => Promise<{ command: CommandModule }>;

/**
 * Every top-level command and the module that registers it, in the order `modelpin --help` lists
 * them. Add a command by writing src/cli/commands/<name>.ts exporting `command: CommandModule` and
 * listing it here. Loading is lazy so `modelpin serve` does not carry every other command's code.
 */
export const COMMANDS = {
  demo: () => import('./commands/demo.js'),
  init: () => import('./commands/init.js'),
  lint: () => import('./commands/lint.js'),
  resolve: () => import('./commands/resolve.js'),
  pin: () => import('./commands/pin.js'),
  catalog: () => import('./commands/catalog.js'),
  outdated: () => import('./commands/outdated.js'),
  scan: () => import('./commands/scan.js'),
  schema: () => import('./commands/schema.js'),
  eval: () => import('./commands/eval.js'),
  ci: () => import('./commands/ci.js'),
  import: () => import('./commands/import.js'),
  history: () => import('./commands/history.js'),
  promote: () => import('./commands/promote.js'),
  rollback: () => import('./commands/rollback.js'),
  overrides: () => import('./commands/overrides.js'),
  canary: () => import('./commands/canary.js'),
  shadow: () => import('./commands/shadow.js'),
  serve: () => import('./commands/serve.js'),
  usage: () => import('./commands/usage.js'),
  store: () => import('./commands/store.js'),
  dashboard: () => import('./commands/dashboard.js'),
  simulate: () => import('./commands/simulate.js'),
} satisfies Record<string, Loader>;

export type CommandName = keyof typeof COMMANDS;

/**
 * How `modelpin --help` lists each command, so that root help and `--version` load no command module
 * (each module pulls in its own dependencies). The modules describe themselves from it too (`addCommand`).
 */
export const COMMAND_SUMMARIES: Record<CommandName, { term: string; summary: string }> = {
  demo: {
    term: 'demo [options]',
    summary:
      'Play the whole story on the built-in simulator: pin, lint, nightly evals, drift, gateway, sentinel, canary, rollback, promote',
  },
  init: {
    term: 'init [options] [path]',
    summary:
      'Write a commented starter models.yml and evals/starter.yml (simulator routes that lint clean, real providers as examples)',
  },
  lint: {
    term: 'lint [options]',
    summary:
      'Check models.yml: floating or unknown models in production, retired or retiring snapshots, literal keys, stale validation',
  },
  resolve: {
    term: 'resolve [options] <route>',
    summary:
      'Show what a call to a route would use now and why: pin, overrides and their source, fallback, canary, shadow',
  },
  pin: {
    term: 'pin [options] [routes...]',
    summary:
      'Pin floating production targets to the dated snapshot each alias serves now (from what the provider answered, else the catalog), editing models.yml in place',
  },
  catalog: { term: 'catalog', summary: 'Known models: pinned snapshots vs floating aliases, retirement dates, prices' },
  outdated: {
    term: 'outdated [options]',
    summary:
      'Like npm outdated, for models: each route and env, its model, status, days to retirement, the named replacement and the newest snapshot',
  },
  scan: {
    term: 'scan [options] [paths...]',
    summary:
      "Find the model ids an app's source depends on (code, .env, YAML/JSON): floating, retired, retiring, and ids that bypass models.yml",
  },
  schema: { term: 'schema [options]', summary: 'Print the JSON Schema of models.yml (for editors and CI validation)' },
  eval: {
    term: 'eval [options] [suite...]',
    summary:
      'Run eval suites against routes (an environment, a model, or a running gateway) and report drift between two',
  },
  ci: { term: 'ci', summary: 'CI helpers: post an eval report as one sticky pull-request comment' },
  import: { term: 'import', summary: 'Bring existing eval suites: convert a promptfoo config into a modelpin suite' },
  history: {
    term: 'history [options]',
    summary: 'Eval runs per day and the passing streaks per route and per served snapshot',
  },
  promote: {
    term: 'promote [options] <route>',
    summary:
      'Pin production to the snapshot staging served, once its evals have passed N consecutive days (edits models.yml, keeps comments)',
  },
  rollback: {
    term: 'rollback [options] <route>',
    summary:
      'Roll a route back: in models.yml to the recorded previous pin (next deploy), or live through a runtime override (no restart)',
  },
  overrides: {
    term: 'overrides',
    summary: 'List or clear runtime overrides (set by `rollback --live`), through a gateway or directly in the store',
  },
  canary: {
    term: 'canary',
    summary: 'Send a share of a route to a candidate, ramp it up, and roll it back automatically when guards breach',
  },
  shadow: { term: 'shadow', summary: 'Mirrored (shadow) traffic: drift of a candidate measured on real requests' },
  serve: {
    term: 'serve [options]',
    summary: 'Run the gateway: one endpoint for OpenAI, Anthropic and Gemini SDKs, routing by models.yml',
  },
  usage: {
    term: 'usage [options]',
    summary: 'Cost, latency and errors per model version, side by side, with served-model change alerts',
  },
  store: { term: 'store', summary: 'Maintain the store: prune old usage, shadow pairs and sentinel events' },
  dashboard: {
    term: 'dashboard [options]',
    summary:
      'Local web dashboard: cost, latency, errors and tokens per model version side by side, canaries, overrides, alerts, eval streaks',
  },
  simulate: {
    term: 'simulate [options]',
    summary:
      'Run the local provider simulator: simulated OpenAI, Anthropic and Gemini APIs with scripted snapshots, alias moves, drift and faults',
  },
};

/** A top-level command named and described as the table above says, so the words live in one place. */
export function addCommand(program: Command, name: CommandName): Command {
  return program.command(name).description(COMMAND_SUMMARIES[name].summary);
}

export function isCommandName(s: string | undefined): s is CommandName {
  return s !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, s);
}

/** The modules for `only` (one command), or all of them (root help, unknown commands). */
export async function loadCommands(only?: CommandName): Promise<CommandModule[]> {
  const loaders: Loader[] = only ? [COMMANDS[only]] : [...new Set<Loader>(Object.values(COMMANDS))];
  const mods = await Promise.all(loaders.map((l) => l()));
  return [...new Set(mods.map((m) => m.command))];
}

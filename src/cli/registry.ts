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
  schema: () => import('./commands/schema.js'),
  eval: () => import('./commands/eval.js'),
  history: () => import('./commands/history.js'),
  promote: () => import('./commands/promote.js'),
  rollback: () => import('./commands/rollback.js'),
  overrides: () => import('./commands/overrides.js'),
  canary: () => import('./commands/canary.js'),
  // canary.ts registers `shadow` beside `canary`: both read the same canary/shadow state.
  shadow: () => import('./commands/canary.js'),
  serve: () => import('./commands/serve.js'),
  usage: () => import('./commands/usage.js'),
  store: () => import('./commands/store.js'),
  dashboard: () => import('./commands/dashboard.js'),
  simulate: () => import('./commands/simulate.js'),
} satisfies Record<string, Loader>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(s: string | undefined): s is CommandName {
  return s !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, s);
}

/** The modules for `only` (one command), or all of them (root help, unknown commands). */
export async function loadCommands(only?: CommandName): Promise<CommandModule[]> {
  const loaders: Loader[] = only ? [COMMANDS[only]] : [...new Set<Loader>(Object.values(COMMANDS))];
  const mods = await Promise.all(loaders.map((l) => l()));
  return [...new Set(mods.map((m) => m.command))];
}

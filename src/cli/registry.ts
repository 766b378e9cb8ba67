import type { Command } from 'commander';

/** A CLI command module: registers itself (with --help text and options) on the root program. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every command, in the order `modelpin --help` lists them. Add a new command by writing
 * src/cli/commands/<name>.ts exporting `command: CommandModule` and listing it here.
 */
export async function loadCommands(): Promise<CommandModule[]> {
  const mods = await Promise.all([
    // one import per command file, e.g. import('./commands/lint.js'),
  ] as Array<Promise<{ command: CommandModule }>>);
  return mods.map((m) => m.command);
}

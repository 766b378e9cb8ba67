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
    import('./commands/init.js'), import('./commands/lint.js'), import('./commands/resolve.js'), import('./commands/catalog.js'), import('./commands/schema.js'),
    import('./commands/eval.js'),
    import('./commands/demo.js'),
    import('./commands/simulate.js'),
    import('./commands/history.js'),
    import('./commands/usage.js'),
    import('./commands/dashboard.js'),
    import('./commands/serve.js'),
    import('./commands/promote.js'), import('./commands/rollback.js'), import('./commands/overrides.js'), import('./commands/canary.js'),
  ] as Array<Promise<{ command: CommandModule }>>);
  return mods.map((m) => m.command);
}

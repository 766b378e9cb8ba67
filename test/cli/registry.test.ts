import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, isCommandName, loadCommands, type CommandName } from '../../src/cli/registry.js';

// main.ts loads only the module of the command being run; the name map must match what each module registers.
describe('command registry', () => {
  it.each(Object.keys(COMMANDS) as CommandName[])(
    'loading only "%s" registers that command with help text',
    async (name) => {
      const program = new Command();
      for (const c of await loadCommands(name)) c.register(program);
      const cmd = program.commands.find((c) => c.name() === name);
      expect(cmd, `module for ${name} did not register it`).toBeDefined();
      expect(cmd!.description().length).toBeGreaterThan(10);
    },
  );

  it('loading everything registers each command exactly once', async () => {
    const program = new Command();
    for (const c of await loadCommands()) c.register(program);
    const names = program.commands.map((c) => c.name());
    expect([...names].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('recognises only known command names', () => {
    expect(isCommandName('serve')).toBe(true);
    expect(isCommandName('constructor')).toBe(false);
    expect(isCommandName(undefined)).toBe(false);
  });
});

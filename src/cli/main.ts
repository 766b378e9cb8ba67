#!/usr/bin/env node
import { Command, Help } from 'commander';
import { COMMANDS, COMMAND_SUMMARIES, isCommandName, loadCommands, type CommandName } from './registry.js';
import { reportError } from './action.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

// `modelpin … | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

async function main(): Promise<void> {
  const program = new Command();
  program
    .name('modelpin')
    .description('Pin LLM calls to immutable snapshots, eval drift, upgrade on evidence, roll back in seconds.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride();
  const first = process.argv[2];
  const helpFor = first === 'help' ? process.argv[3] : undefined;
  const only = isCommandName(first) ? first : isCommandName(helpFor) ? helpFor : undefined;
  if (only) for (const c of await loadCommands(only)) c.register(program);
  else listCommands(program);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    const code = (e as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      const ok = code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help';
      process.exitCode = ok ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = reportError(e);
  }
}

/**
 * Root help, `--version` and unknown commands need only each command's name and summary: list them
 * from the registry's table instead of importing every command module (and everything it imports).
 */
function listCommands(program: Command): void {
  // In the registry's order, as the modules would register themselves.
  for (const name of Object.keys(COMMANDS) as CommandName[])
    program.command(name).description(COMMAND_SUMMARIES[name].summary);
  const plain = new Help();
  program.configureHelp({
    subcommandTerm: (cmd) =>
      Object.hasOwn(COMMAND_SUMMARIES, cmd.name())
        ? COMMAND_SUMMARIES[cmd.name() as CommandName].term
        : plain.subcommandTerm(cmd),
  });
}

void main();

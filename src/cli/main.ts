#!/usr/bin/env node
import { Command } from 'commander';
import { isCommandName, loadCommands } from './registry.js';
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
  for (const c of await loadCommands(isCommandName(first) ? first : undefined)) c.register(program);
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

void main();

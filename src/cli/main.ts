#!/usr/bin/env node
import { Command } from 'commander';
import { loadCommands } from './registry.js';
import { reportError } from './action.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

async function main(): Promise<void> {
  const program = new Command();
  program
    .name('modelpin')
    .description('Pin LLM calls to immutable snapshots, eval drift, upgrade on evidence, roll back in seconds.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride();
  for (const c of await loadCommands()) c.register(program);
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

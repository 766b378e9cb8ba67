import type { Command } from 'commander';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalogDir } from '../../catalog/builtin.js';
import { toIsoDate } from '../../catalog/dates.js';
import { UsageError } from '../../core/errors.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { action } from '../action.js';
import type { CommandModule } from '../registry.js';

/** The starter is the shipped examples/models.yml, with validation dates set to the day it is written. */
export function starterText(today: string): string {
  const file = join(catalogDir(), '..', 'examples', 'models.yml');
  return readFileSync(file, 'utf8')
    .replace('# yaml-language-server: $schema=../schema/models.schema.json', '# yaml-language-server: $schema=./node_modules/modelpin/schema/models.schema.json')
    .replace(/^(\s*last_validated: )\d{4}-\d{2}-\d{2}/gm, `$1${today}`);
}

export function runInit(path: string | undefined, opts: { force?: boolean }, io: CliIo): number {
  const shown = path ?? 'models.yml';
  const target = resolve(io.cwd, shown);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new UsageError(`${shown} is a directory; give a file path, e.g. modelpin init ${join(shown, 'models.yml')}`);
    if (!opts.force) throw new UsageError(`${shown} already exists; not overwriting it (pass --force to replace it)`);
  }
  try {
    writeFileSync(target, starterText(toIsoDate(io.clock.now())));
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.out(`wrote ${shown}\nnext: npx modelpin lint${path ? ` --config ${shown}` : ''}   then   npx modelpin resolve summarize${path ? ` --config ${shown}` : ''}`);
  return 0;
}

export function registerInit(program: Command, io: () => CliIo = defaultIo): void {
  program
    .command('init [path]')
    .description('Write a commented starter models.yml (simulator routes that lint clean, real providers as examples)')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExamples:\n  modelpin init\n  modelpin init config/models.yml\n  modelpin init --force')
    .action(action((path: string | undefined, o: { force?: boolean }) => runInit(path, o, io())));
}

export const command: CommandModule = { register: (program) => registerInit(program) };

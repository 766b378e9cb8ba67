import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonSchemaText } from '../../config/json-schema.js';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';

export function runSchema(opts: { out?: string }, io: CliIo): number {
  const text = jsonSchemaText();
  if (opts.out) {
    writeFileSync(resolve(io.cwd, opts.out), text);
    io.out(`wrote ${opts.out}`);
  } else io.out(text.trimEnd());
  return 0;
}

export function registerSchema(program: Command, io: () => CliIo = defaultIo): void {
  addCommand(program, 'schema')
    .option('--out <file>', 'write it to a file instead of stdout')
    .addHelpText(
      'after',
      '\nThe same schema ships in the package as modelpin/schema.json (schema/models.schema.json).\n\nExamples:\n  modelpin schema > models.schema.json\n  # in models.yml, for editor completion:\n  # yaml-language-server: $schema=./node_modules/modelpin/schema/models.schema.json',
    )
    .action(action((o: { out?: string }) => runSchema(o, io())));
}

export const command: CommandModule = { register: (program) => registerSchema(program) };

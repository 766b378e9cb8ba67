import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Document } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { importPromptfoo, type ImportResult } from '../../import/promptfoo.js';
import { loadSuiteFile } from '../../evals/load-suite.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

export interface ImportCliOptions {
  output?: string;
  route?: string;
  judgeRoute?: string;
  name?: string;
  force?: boolean;
}

export interface ImportIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export function suiteYaml(r: ImportResult): string {
  const doc = new Document(r.suite);
  doc.commentBefore = ` ${r.notes.join('\n ')}`;
  return doc.toString({ lineWidth: 0 });
}

export async function runImportPromptfoo(config: string, o: ImportCliOptions, io: ImportIo): Promise<number> {
  if (o.route !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(o.route))
    throw new UsageError(`--route must be a route name, got ${JSON.stringify(o.route)}`);
  const r = importPromptfoo({
    file: config,
    cwd: io.cwd,
    ...(o.output !== undefined ? { out: o.output } : {}),
    ...(o.route ? { route: o.route } : {}),
    ...(o.judgeRoute ? { judgeRoute: o.judgeRoute } : {}),
    ...(o.name ? { name: o.name } : {}),
  });
  const yaml = suiteYaml(r);
  if (o.output === undefined) {
    if (r.checks)
      throw new UsageError(
        'this config has inline javascript assertions: they are written to a checks module beside the suite, so pass -o <suite.yml>',
      );
    io.out(yaml.trimEnd());
    return EXIT.ok;
  }
  const out = resolve(io.cwd, o.output);
  const checks = join(dirname(out), r.checksFile);
  for (const f of [out, ...(r.checks ? [checks] : [])])
    if (existsSync(f) && !o.force) throw new UsageError(`${f} exists; pass --force to overwrite it`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, yaml);
  if (r.checks) writeFileSync(checks, r.checks);
  // The written suite must load: a mapping bug shows here, not at the first eval.
  const suite = await loadSuiteFile(out, io.cwd);
  io.err(
    `wrote ${o.output}${r.checks ? ` and ${r.checksFile}` : ''}: suite "${suite.name}", ${suite.cases.length} case(s)`,
  );
  return EXIT.ok;
}

export function registerImport(
  program: Command,
  io: () => ImportIo = () => ({ out: (t) => console.log(t), err: (t) => console.error(t), cwd: process.cwd() }),
): void {
  const imp = addCommand(program, 'import');
  imp
    .command('promptfoo')
    .description(
      'Convert promptfooconfig.yaml into a modelpin suite: prompts x tests become cases, CSV tests vars_from, defaultTest the defaults',
    )
    .argument('<config>', 'the promptfoo config, e.g. promptfooconfig.yaml')
    .option(
      '-o, --output <suite.yml>',
      'write the suite here (default: print it); inline javascript goes to <suite>.checks.mjs beside it',
    )
    .option('--route <route>', 'models.yml route every case calls (defaults.route)')
    .option('--judge-route <route>', 'route that grades llm-rubric and factuality (defaults.judge_route)', 'judge')
    .option('--name <name>', 'suite name (default: from the config description)')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Carried over: prompts (text, file://*.txt, file://*.json chats), vars (file:// text files),
tests inline or file://*.csv, defaultTest vars and assert, evaluateOptions.repeat, and the
assertions contains, icontains, equals, not-contains, starts-with, contains-any, contains-all,
regex, is-json, contains-json (with a schema: json-schema), javascript (inline or file://),
llm-rubric, factuality, cost (max-cost), latency (max-latency). Providers become a note: in
modelpin the model is a models.yml route, chosen at run time.
Anything else is refused by name and location, all at once, and nothing is written.

Exit codes: 0 written, 2 something in the config has no counterpart (listed) or bad flags.

Examples:
  modelpin import promptfoo promptfooconfig.yaml -o evals/support.yml --route support
  modelpin import promptfoo promptfooconfig.yaml > evals/support.yml`,
    )
    .action(action((config: string, o: ImportCliOptions) => runImportPromptfoo(config, o, io())));
}

export const command: CommandModule = { register: (program) => registerImport(program) };

import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { clockFromEnv } from '../../core/clock.js';
import { UsageError } from '../../core/errors.js';
import { createSimEngine } from '../../sim/engine.js';
import { builtinScenarios, loadScenario } from '../../sim/scenario-load.js';
import { startSimulatorServer } from '../../sim/server.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { addCommand, type CommandModule } from '../registry.js';

interface SimulateOptions {
  port: string;
  host: string;
  scenario: string;
  seed?: string;
  fast?: boolean;
  check?: boolean;
  json?: boolean;
}

function int(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

async function run(opts: SimulateOptions): Promise<number> {
  const port = int('port', opts.port, 0, 65535);
  const seed = opts.seed === undefined ? undefined : int('seed', opts.seed, 0, 2 ** 32 - 1);
  const fast = opts.fast === true ? true : undefined;
  if (opts.check) {
    const scenario = loadScenario(opts.scenario);
    const engine = createSimEngine({
      scenario,
      clock: clockFromEnv(),
      ...(seed !== undefined ? { seed } : {}),
      ...(fast ? { fast } : {}),
    });
    const models = engine.listModels();
    if (opts.json) {
      console.log(
        JSON.stringify(
          {
            scenario: scenario.name,
            file: scenario.file,
            seed: engine.seed,
            fast: engine.fast,
            rules: scenario.rules.map((r) => r.id),
            models,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        `${pc.green('ok')} scenario ${scenario.name} (${scenario.file}): ${scenario.snapshots.size} snapshots, ${scenario.aliases.size} aliases, ${scenario.rules.length} rules`,
      );
      for (const m of models)
        console.log(`  ${m.id}${m.kind === 'alias' ? ` -> ${m.target ?? ''}` : ''}${m.retired ? ' (retired)' : ''}`);
    }
    return EXIT.ok;
  }

  const server = await startSimulatorServer({
    port,
    host: opts.host,
    scenario: opts.scenario,
    clock: clockFromEnv(),
    ...(seed !== undefined ? { seed } : {}),
    ...(fast ? { fast } : {}),
  });
  const { engine } = server;
  if (opts.json) {
    console.log(
      JSON.stringify({
        simulator: true,
        url: server.url,
        port: server.port,
        scenario: engine.scenario.name,
        seed: engine.seed,
        fast: engine.fast,
      }),
    );
  } else {
    console.log(
      `${pc.bold('modelpin simulator')} (simulated models, not a real provider) listening on ${pc.cyan(server.url)}`,
    );
    console.log(`  scenario ${engine.scenario.name} · seed ${engine.seed} · fast ${engine.fast}`);
    console.log(`  OpenAI SDK     baseURL: ${server.url}/v1`);
    console.log(`  Anthropic SDK  baseURL: ${server.url}`);
    console.log(`  Gemini SDK     httpOptions.baseUrl: ${server.url}`);
    console.log('  Ctrl-C to stop');
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}

export const command: CommandModule = {
  register(program: Command) {
    addCommand(program, 'simulate')
      .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option(
        '--scenario <file|name>',
        `scenario file, or a built-in name (${builtinScenarios().join(', ')})`,
        'default',
      )
      .option('--seed <n>', 'seed for faults and latency (same seed -> same run)')
      .option('--fast', 'no latency and no faults (benchmarks)')
      .option('--check', 'validate the scenario, list its models and exit')
      .option('--json', 'print startup info (or --check output) as JSON')
      .addHelpText(
        'after',
        '\nEvery response carries the header x-modelpin-simulator: 1. See docs/simulator.md for the scenario format.',
      )
      .action(action((opts: SimulateOptions) => run(opts)));
  },
};

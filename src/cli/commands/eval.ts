import { Command } from 'commander';
import { clockFromEnv } from '../../core/clock.js';
import { runEvalCommand, type EvalFlags } from '../../evals/eval-command.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerEval(program: Command): void {
  addCommand(program, 'eval')
    .argument(
      '[suite...]',
      'suite files or directories (YAML, .js/.mjs, or .ts with a TypeScript loader); default: ./evals',
    )
    .option('-c, --config <file>', 'models.yml (default: ./models.yml)')
    .option('-e, --env <env>', 'environment whose targets are tested (default: production)')
    .option('--route <route>', 'only cases of this route (also the route of cases that name none)')
    .option('--model <provider/model>', 'test every route against this model instead of its target')
    .option('--compare <envs...>', 'two environments: baseline then candidate, e.g. --compare production staging')
    .option('--compare-models <models...>', 'two provider/model refs: baseline then candidate')
    .option('--repeat <n>', 'samples per case (overrides the suites); use 3+ so compare can tell drift from noise')
    .option('--concurrency <n>', 'calls in flight at once', '8')
    .option('--rate-limit <provider=rps[:burst]>', 'token-bucket limit per provider id (repeatable)', collect)
    .option('--retries <n>', 'retries of transient errors per call (default 2)')
    .option('--timeout <ms>', 'per-call timeout, overriding the suites')
    .option('--no-cache', 'do not read or write the response cache (.modelpin/cache/)')
    .option(
      '--record',
      'store each run (per suite, route and env) in the store from models.yml, for history and promotion',
    )
    .option('--gateway <url>', 'call routes by name through a running gateway (OpenAI wire format)')
    .option('--today <YYYY-MM-DD>', 'run as if today were this UTC date (noon, then forward); also MODELPIN_NOW')
    .option('--json <file>', 'write the full report as JSON ("-" for stdout)')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--html <file>', 'write an HTML report')
    .option('--alpha <p>', 'significance level of a compare (default 0.05)')
    .option(
      '--floor <signal=value>',
      'effect-size floor of a gating signal (repeatable), e.g. tokens=10% or pass-rate=0.05; signals: pass-rate, case, fenced, bare-json, refusal, tokens',
      collect,
    )
    .option('-q, --quiet', 'no progress and only the summary lines')
    .addHelpText(
      'after',
      `
Exit codes: 0 all passed (or no significant drift with --compare), 1 failures or significant
regressions, 2 config/usage error (bad suite, unknown assertion type, bad regex), 4 insufficient
evidence (--compare saw a change its sample counts cannot show significant, or can show nothing
at all: raise --repeat or add cases), 130 interrupted.

Examples:
  modelpin eval examples/evals --config examples/models.yml
  modelpin eval evals/ --env staging --junit reports/junit.xml --markdown reports/evals.md --record
  modelpin eval evals/ --repeat 3 --compare production staging
  modelpin eval evals/ --compare-models sim/sim-chat-2026-01-15 sim/sim-chat-2026-12-10
  modelpin eval evals/ --gateway http://127.0.0.1:8787`,
    )
    .action(
      action(async (suites: string[], flags: EvalFlags) => {
        const ac = new AbortController();
        const onSigint = (): void => {
          process.stderr.write('\ninterrupted: finishing up, writing partial reports (Ctrl-C again to force quit)\n');
          ac.abort(new Error('interrupted'));
          process.once('SIGINT', () => process.exit(130));
        };
        process.once('SIGINT', onSigint);
        try {
          return await runEvalCommand(suites, flags, {
            out: (t) => console.log(t),
            err: (t) => console.error(t),
            cwd: process.cwd(),
            env: process.env,
            clock: clockFromEnv(),
            tty: process.stderr.isTTY === true,
            signal: ac.signal,
          });
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      }),
    );
}

export const command: CommandModule = { register: (program) => registerEval(program) };

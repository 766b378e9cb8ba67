import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../core/package-root.js';
import { chapter, check, cli, note, type DemoContext } from '../story-io.js';

/** The support agent's alias moved too: its answers read the same, its tool calls do not. */
export async function agentChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'Thursday — the support agent',
    'The refund agent calls lookup_order and issue_refund. Its alias sim-agent-latest moved as well.\nChecked on its final answer alone, staging passes: the customer reads the very same sentence.',
  );
  cpSync(path.join(packageRoot(), 'examples', 'agent-models.yml'), path.join(ctx.ws, 'agent-models.yml'));
  // The same suite judged only on the text the customer sees.
  const suite = parse(readFileSync(path.join(ctx.ws, 'evals', 'agent', 'refund-agent.yml'), 'utf8')) as {
    name: string;
    cases: Array<{ assert?: Array<{ type: string }> }>;
  };
  suite.name = 'refund-agent-text';
  for (const c of suite.cases) c.assert = (c.assert ?? []).filter((a) => a.type === 'contains');
  writeFileSync(path.join(ctx.ws, 'agent-text.yml'), stringify(suite));
  await cli(
    ctx,
    ['eval', 'agent-text.yml', '--config', 'agent-models.yml', '--env', 'staging', '--no-cache', '--quiet'],
    0,
    { now: '2026-11-26T09:00:00Z' },
  );

  chapter(
    ctx,
    'The tool calls tell',
    'The suite also checks the trajectory, the refund amount and the step count. The compare names the drift.',
  );
  const res = await cli(
    ctx,
    [
      'eval',
      'evals/agent',
      '--config',
      'agent-models.yml',
      '--compare',
      'production',
      'staging',
      '--no-cache',
      '--quiet',
      '--json',
      'agent.json',
    ],
    1,
    {
      now: '2026-11-26T09:05:00Z',
    },
  );
  check(
    ctx,
    res.stdout.includes('candidate calls lookup_order twice') &&
      res.stdout.includes('issue_refund.amount 49.99 → 4999.00'),
    'the verdict names the extra lookup and the refund amount',
  );
  const report = JSON.parse(readFileSync(path.join(ctx.ws, 'agent.json'), 'utf8')) as {
    run: { arms: Array<{ arm: string; cases: Array<{ caseId: string; samples: Array<{ output: string }> }> }> };
  };
  const answers = report.run.arms.map(
    (a) => a.cases.find((c) => c.caseId === 'refund-damaged')?.samples[0]?.output ?? '',
  );
  note(ctx, `final answer on both sides: ${JSON.stringify(answers[0])}`);
  check(
    ctx,
    answers.length === 2 && answers[0] === answers[1] && answers[0] !== '',
    'the final text is identical: only the tool calls show the regression',
  );
}

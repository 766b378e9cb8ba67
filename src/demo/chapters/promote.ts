import { execFileSync } from 'node:child_process';
import { background, chapter, check, cli, note, type DemoContext } from '../story-io.js';

/** December: the alias moves to a good snapshot; three green nights earn a reviewed promotion. */
export async function promoteChapter(ctx: DemoContext): Promise<void> {
  chapter(
    ctx,
    'December — upgrade on evidence',
    'On 2026-12-10 the alias moves to sim-chat-2026-12-10. Staging evals pass three nights running.',
  );
  for (const day of ['2026-12-10', '2026-12-11', '2026-12-12']) {
    await cli(ctx, ['eval', 'evals', '--env', 'staging', '--record', '--no-cache', '--quiet'], 0, {
      now: `${day}T22:00:00Z`,
    });
  }
  await cli(ctx, ['history', '--route', 'summarize', '--today', '2026-12-12'], 0);
  git(ctx, ['init', '-q', '-b', 'main']);
  git(ctx, ['add', '-A']);
  git(ctx, ['commit', '-qm', 'models.yml before promotion']);
  const res = await cli(ctx, ['promote', 'summarize', '--today', '2026-12-12', '--git'], 0, {
    now: '2026-12-12T23:00:00Z',
  });
  const diff = git(ctx, ['diff', 'HEAD~1', '--', 'models.yml']);
  for (const l of diff.split('\n').filter((x) => /^[+-]\s/.test(x))) ctx.write(`  ${l}`);
  check(
    ctx,
    res.code === 0 && /sim-chat-2026-12-10/.test(diff),
    'promote pinned production to sim-chat-2026-12-10 on a branch, comments intact',
  );

  chapter(ctx, 'Cost, latency and errors per model version', 'Everything the gateway served this week, side by side:');
  await cli(ctx, ['usage', '--since', '2026-11-20', '--by', 'served-model', '--interval', '1d'], 0, {
    now: '2026-12-12T23:30:00Z',
  });
  const dash = await background(
    ctx,
    ['dashboard', '--port', '0', '--since', '30d'],
    '2026-12-12T23:30:00Z',
    /dashboard on (http:\/\/\S+)/,
  );
  try {
    const res = await fetch(`${dash.url}/api/usage?since=30d&by=served-model&interval=1d`);
    const body = (await res.json()) as {
      rows?: Array<{ key: string }>;
      trend?: { starts: number[]; series: Array<{ key: string; points: unknown[] }> };
    };
    const versions = (body.rows ?? []).map((r) => r.key);
    note(
      ctx,
      `the dashboard shows the same ${versions.length} versions side by side in a browser: ${versions.join(', ')}`,
    );
    check(ctx, res.status === 200 && versions.includes('sim-chat-2026-01-15'), 'the dashboard serves the usage view');
    const firstDay = new Map(
      (body.trend?.series ?? []).map((s) => {
        const i = s.points.findIndex((p) => p !== null);
        return [s.key, i < 0 ? null : new Date(body.trend?.starts[i] ?? 0).toISOString().slice(0, 10)] as const;
      }),
    );
    note(
      ctx,
      `its charts show each version per day; first day served: ${[...firstDay].map(([k, d]) => `${k} ${d}`).join(', ')}`,
    );
    check(
      ctx,
      firstDay.get('sim-chat-2026-11-25') === '2026-11-25',
      'the charts place the drifted snapshot on the Wednesday the alias moved',
    );
  } finally {
    await dash.stop();
  }
  chapter(
    ctx,
    'Keep the store small',
    'Usage and mirrored answers age out on a schedule (store.retention); eval evidence and the audit log stay.',
  );
  const prune = await cli(ctx, ['store', 'prune', '--dry-run', '--older-than', '14d'], 0, {
    now: '2026-12-12T23:45:00Z',
  });
  check(
    ctx,
    /usage/.test(prune.stdout) && /eval_runs/.test(prune.stdout),
    'a dry run counts what retention would delete, table by table',
  );
  // The story's clock, not the wall clock: otherwise the window misses its traffic and every streak reads 0 days.
  note(
    ctx,
    `the demo project is in ${ctx.ws}; browse it with: npx modelpin dashboard --config ${ctx.ws}/models.yml --since 30d --today 2026-12-12`,
  );
}

function git(ctx: DemoContext, args: string[]): string {
  return execFileSync('git', args, {
    cwd: ctx.ws,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'modelpin demo',
      GIT_AUTHOR_EMAIL: 'demo@example.invalid',
      GIT_COMMITTER_NAME: 'modelpin demo',
      GIT_COMMITTER_EMAIL: 'demo@example.invalid',
    },
  });
}

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { systemClock } from '../../src/core/clock.js';
import { runEvalCommand } from '../../src/evals/eval-command.js';
import { createSimulatorProvider } from '../../src/sim/index.js';
import { command as promote } from '../../src/cli/commands/promote.js';
import { command as rollback } from '../../src/cli/commands/rollback.js';
import { openStore } from '../../src/store/open.js';
import { e2eScene, type Workspace } from './helpers.js';
import { runCli } from '../support/run-cli.js';

const MODELS = `# support app models
version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO} } # simulated provider

routes:
  # Sentiment of a review, as JSON
  classify:
    targets:
      production: sim/sim-chat-2026-01-15 # pinned in January
      staging: sim/sim-chat-latest # floats: nightly evals watch it
    last_validated: 2026-11-20 # last green review
store: { type: sqlite, path: modelpin.db }
`;

const SUITE = `name: sentiment
defaults:
  route: classify
  assert:
    - type: is-json
    - { type: enum, path: $.sentiment, values: [positive, negative, neutral] }
cases:
  - id: positive
    prompt: "Classify the sentiment of this review as JSON: I love this blender, it is fantastic."
  - id: mixed
    prompt: "Classify the sentiment of this review as JSON: The product is great but shipping took forever."
  - id: negative
    prompt: "Classify the sentiment of this review as JSON: Terrible, it arrived broken."
`;

const scene = e2eScene();

/** A nightly eval run of one environment on a given day, recorded through the real eval runner. */
async function nightly(w: Workspace, env: string, day: string): Promise<number> {
  const out: string[] = [];
  return runEvalCommand(
    [w.write('evals/sentiment.yml', SUITE)],
    { config: w.configPath, env, record: true, today: day, cache: false, quiet: true },
    {
      out: (s) => out.push(s),
      err: (s) => out.push(s),
      cwd: w.dir,
      env: process.env,
      clock: systemClock,
      tty: false,
      clientFactory: (settings, deps) => createSimulatorProvider(settings, { clock: deps.clock }),
    },
  );
}

describe('promote on evidence (simulator, real eval runner)', () => {
  it('refuses a drifted alias, then promotes a snapshot green 3 days with comments intact; rollback reverts', async () => {
    const ws = scene.workspace(MODELS);
    // Monday, Tuesday: the alias still serves the pinned snapshot. Wednesday: it drifts.
    for (const day of ['2026-11-23', '2026-11-24']) expect(await nightly(ws, 'staging', day)).toBe(0);
    expect(await nightly(ws, 'staging', '2026-11-25')).toBe(1);
    expect(await nightly(ws, 'production', '2026-11-25')).toBe(0);

    const refused = await runCli(
      [promote],
      ['promote', 'classify', '--config', ws.configPath, '--today', '2026-11-25'],
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /needs 3 consecutive passing days for sim-chat-2026-11-25, has 0 \(2026-11-25 failed: 3 cases\)/,
    );
    const misspelt = await runCli(
      [promote],
      ['promote', 'clasify', '--config', ws.configPath, '--today', '2026-11-25'],
    );
    expect(misspelt.code).toBe(2);
    expect(misspelt.err).toMatch(/unknown route "clasify" \(routes in .*: .*classify/);
    const untouched = readFileSync(ws.configPath, 'utf8');
    expect(untouched).toContain('production: sim/sim-chat-2026-01-15 # pinned in January');

    // The team points staging at the newer snapshot; it passes three nights in a row.
    writeFileSync(ws.configPath, untouched.replace('staging: sim/sim-chat-latest', 'staging: sim/sim-chat-2026-12-10'));
    const before = readFileSync(ws.configPath, 'utf8');
    for (const day of ['2026-12-11', '2026-12-12']) {
      expect(await nightly(ws, 'staging', day)).toBe(0);
      expect(await nightly(ws, 'production', day)).toBe(0);
    }
    const early = await runCli([promote], ['promote', 'classify', '--config', ws.configPath, '--today', '2026-12-12']);
    expect(early.code).toBe(1);
    expect(early.err).toMatch(
      /needs 3 consecutive passing days for sim-chat-2026-12-10, has 2 \(no eval run on 2026-12-10\)/,
    );

    expect(await nightly(ws, 'staging', '2026-12-13')).toBe(0);
    const ok = await runCli([promote], ['promote', 'classify', '--config', ws.configPath, '--today', '2026-12-13']);
    expect(ok.err).toContain(
      'promoted classify production: sim/sim-chat-2026-01-15 -> sim/sim-chat-2026-12-10 (green 3 days)',
    );
    expect(ok.code).toBe(0);

    const after = readFileSync(ws.configPath, 'utf8');
    const data = parse(after) as {
      routes: { classify: { targets: { production: string }; previous: string; last_validated: string } };
    };
    expect(data.routes.classify.targets.production).toBe('sim/sim-chat-2026-12-10');
    expect(data.routes.classify.previous).toBe('sim/sim-chat-2026-01-15');
    expect(data.routes.classify.last_validated).toBe('2026-12-13');
    for (const c of [
      '# support app models',
      '# simulated provider',
      '# Sentiment of a review, as JSON',
      '# pinned in January',
      '# floats: nightly evals watch it',
      '# last green review',
    ]) {
      expect(after).toContain(c);
    }
    const changed = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(changed).toEqual([
      '      production: sim/sim-chat-2026-12-10 # pinned in January',
      '    last_validated: 2026-12-13 # last green review',
      '    previous: sim/sim-chat-2026-01-15',
    ]);

    const store = await openStore({ type: 'sqlite', path: `${ws.dir}/modelpin.db` });
    expect(
      (await store.listAudit(5)).some((a) => a.action === 'promote' && a.detail.to === 'sim/sim-chat-2026-12-10'),
    ).toBe(true);
    await store.close();

    const rb = await runCli([rollback], ['rollback', 'classify', '--config', ws.configPath]);
    expect(rb.code).toBe(0);
    const rolled = readFileSync(ws.configPath, 'utf8');
    expect(rolled).toContain('production: sim/sim-chat-2026-01-15 # pinned in January');
    expect(rolled).toContain('previous: sim/sim-chat-2026-12-10');
  });

  it('--git makes a branch and a commit and prints a PR body with the evidence table; refuses with staged changes', async () => {
    const ws = scene.workspace(MODELS.replace('staging: sim/sim-chat-latest', 'staging: sim/sim-chat-2026-12-10'));
    for (const day of ['2026-12-11', '2026-12-12', '2026-12-13']) {
      expect(await nightly(ws, 'staging', day)).toBe(0);
      expect(await nightly(ws, 'production', day)).toBe(0);
    }
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: ws?.dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      });
    const gitEnv = {
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
    git('init', '-q', '-b', 'main');
    writeFileSync(`${ws.dir}/.gitignore`, 'modelpin.db*\n.modelpin/\n');
    writeFileSync(`${ws.dir}/other.txt`, 'x\n');
    git('add', 'models.yml', '.gitignore', 'scenario.yml', 'evals', 'other.txt');
    git('commit', '-q', '-m', 'init');

    writeFileSync(`${ws.dir}/other.txt`, 'y\n');
    git('add', 'other.txt');
    const blocked = await runCli(
      [promote],
      ['promote', 'classify', '--config', ws.configPath, '--today', '2026-12-13', '--git'],
      { processEnv: gitEnv },
    );
    expect(blocked.code).toBe(2);
    expect(blocked.err).toMatch(/staged changes \(other\.txt\)/);
    git('commit', '-q', '-m', 'other');

    const res = await runCli(
      [promote],
      ['promote', 'classify', '--config', ws.configPath, '--today', '2026-12-13', '--git'],
      { processEnv: gitEnv },
    );
    expect(res.code).toBe(0);
    expect(git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('modelpin/promote-classify-2026-12-13');
    expect(git('log', '-1', '--format=%s').trim()).toBe('Promote classify production to sim/sim-chat-2026-12-10');
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('models.yml');
    expect(res.out).toContain('| date | served model | pass/total | cost | p95 latency |');
    expect(res.out).toMatch(/\| 2026-12-13 \| `sim-chat-2026-12-10` \| 3\/3 \| \$[\d.]+ \| \d+ ms \|/);
    expect(res.out).toMatch(/\| cost per case \| \$[\d.]+ \| \$[\d.]+ \| [+-]\d+\.\d% \|/);
    console.log(res.out);
  });
});

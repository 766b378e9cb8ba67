import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { pc } from '../../core/color.js';
import { addCommand, type CommandModule } from '../registry.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../core/errors.js';
import { clockFromEnv } from '../../core/clock.js';
import { parseConfig } from '../../config/load.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { lintConfig } from '../../lint/lint.js';
import { parseDay, utcDay } from '../../history/day.js';
import { audit, defaultActor } from '../../lifecycle/audit.js';
import { loadForCli, printJson, withStore } from '../../lifecycle/cli-support.js';
import { commitFile, createBranch, gitPrecheck } from '../../lifecycle/promote/git.js';
import { planPromotion, type PromotePlan } from '../../lifecycle/promote/plan.js';
import { prBody } from '../../lifecycle/promote/pr-body.js';
import { readTarget, setPin } from '../../lifecycle/promote/yaml-edit.js';

interface PromoteOpts {
  config?: string;
  to?: string;
  minDays: string;
  envFrom: string;
  env: string;
  today?: string;
  dryRun?: boolean;
  git?: boolean;
  actor?: string;
  json?: boolean;
}

export const command: CommandModule = {
  register(program: Command) {
    addCommand(program, 'promote')
      .argument('<route>', 'route name in models.yml')
      .option('-c, --config <file>', 'models.yml path', 'models.yml')
      .option('--to <provider/model>', 'promote this snapshot instead of the one staging served')
      .option('--min-days <n>', 'consecutive passing days required', '3')
      .option('--env-from <name>', 'environment whose served snapshot is the candidate', 'staging')
      .option('--env <name>', 'environment to pin', 'production')
      .option('--today <YYYY-MM-DD>', 'evaluate the streak as of this day (default: today, UTC)')
      .option('--dry-run', 'show what would change; write nothing')
      .option('--git', 'create branch modelpin/promote-<route>-<date>, commit, and print a PR body')
      .option('--actor <name>', 'who promotes (audit log; default: $USER)')
      .option('--json', 'print the plan as JSON')
      .addHelpText(
        'after',
        `
Exit codes: 0 promoted, 1 refused (evidence short or lint errors), 2 usage/config error.
Examples:
  modelpin promote classify --dry-run
  modelpin promote classify --min-days 3 --git > pr.md`,
      )
      .action(action((route: string, o: PromoteOpts) => promote(route, o)));
  },
};

async function promote(route: string, o: PromoteOpts): Promise<number> {
  const minDays = Number(o.minDays);
  if (!Number.isInteger(minDays) || minDays < 1)
    throw new UsageError(`--min-days expects a positive integer, got "${o.minDays}"`);
  const today = o.today ?? utcDay(clockFromEnv().now());
  parseDay(today, '--today');
  const loaded = await loadForCli(o.config);
  // A misspelt route is a usage error (exit 2), not evidence falling short (exit 1).
  if (!loaded.file.routes[route])
    throw new UsageError(
      `unknown route "${route}" (routes in ${o.config}: ${Object.keys(loaded.file.routes).join(', ') || 'none'})`,
    );
  const catalog = loadCatalog({ file: loaded.file, baseDir: dirname(loaded.path) });
  const runs = await withStore(loaded, (store) => store.listEvalRuns({ route }));
  const plan = planPromotion({
    route,
    config: loaded.file,
    runs,
    envFrom: o.envFrom,
    envTo: o.env,
    minDays,
    today,
    ...(o.to ? { to: o.to } : {}),
    classify: (provider, model) => catalog.classify(model, provider).kind,
  });
  if (!plan.ok) return refuse(plan, o);

  const mapPath = (p: Array<string | number>) => loaded.sourcePath(p);
  const previous = readTarget(loaded.text, route, o.env, loaded.path, mapPath);
  const text = setPin(
    loaded.text,
    { route, env: o.env, target: plan.candidate, previous, lastValidated: today },
    loaded.path,
    mapPath,
  );
  const next = parseConfig(text, loaded.path, { env: process.env });
  const errors = lintConfig(next, catalog, { env: o.env, today, envVars: process.env }).filter(
    (f) => f.severity === 'error',
  );
  if (errors.length > 0) {
    return refuse(
      {
        ...plan,
        ok: false,
        shortfall: `lint has ${errors.length} error(s) after the edit: ${errors.map((f) => `${f.rule}: ${f.message}`).join('; ')}`,
      },
      o,
    );
  }
  const body = prBody({ ...plan, minDays, streakDays: plan.streak.days, today });
  const branch = `modelpin/promote-${route}-${today}`;
  const summary = {
    ok: true,
    route,
    env: o.env,
    from: plan.current,
    to: plan.candidate,
    streakDays: plan.streak.days,
    file: loaded.path,
  };

  if (o.dryRun) {
    if (o.json) printJson({ ...summary, dryRun: true, plan, newText: text, prBody: body });
    else {
      console.log(
        `${pc.cyan('dry run')} would pin ${route} ${o.env}: ${plan.current} -> ${plan.candidate} (green ${plan.streak.days} days)`,
      );
      console.log(body);
    }
    return EXIT.ok;
  }

  const git = o.git ? gitPrecheck(dirname(loaded.path), loaded.path) : null;
  if (git) createBranch(git.root, branch);
  writeFileSync(loaded.path, text);
  let commit: string | null = null;
  if (git) {
    commit = commitFile(
      git.root,
      git.file,
      `Promote ${route} ${o.env} to ${plan.candidate}\n\nEvals green ${plan.streak.days} consecutive day(s) (required ${minDays}). Previous pin: ${plan.current}.`,
    );
  }
  await withStore(loaded, (store) =>
    audit(store, clockFromEnv(), {
      actor: defaultActor(o.actor),
      action: 'promote',
      route,
      detail: {
        env: o.env,
        from: plan.current,
        to: plan.candidate,
        streakDays: plan.streak.days,
        branch: git ? branch : null,
        commit,
      },
    }),
  ).catch(() => undefined);

  if (o.json) printJson({ ...summary, plan, branch: git ? branch : null, commit, prBody: body });
  else {
    console.error(
      `${pc.green('promoted')} ${route} ${o.env}: ${plan.current} -> ${plan.candidate} (green ${plan.streak.days} days); previous recorded, last_validated ${today}`,
    );
    if (git) {
      console.error(`branch ${branch}, commit ${commit?.slice(0, 12) ?? ''}. Pull request body:`);
      console.log(body);
    }
  }
  return EXIT.ok;
}

function refuse(plan: PromotePlan & { ok: false }, o: PromoteOpts): number {
  if (o.json) printJson({ ok: false, shortfall: plan.shortfall, plan });
  else {
    console.error(`${pc.red('refused')} ${plan.shortfall}`);
    for (const d of plan.evidence ?? []) {
      console.error(
        `  ${d.date}  ${d.servedModel}  ${d.passedCases}/${d.totalCases} ${d.passed ? pc.green('pass') : pc.red('fail')}`,
      );
    }
  }
  return EXIT.failed;
}

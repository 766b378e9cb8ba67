import type { CanaryRecord, Store } from '../../store/types.js';
import { RequestError } from '../../core/errors.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import { armStatsFromSums, type ArmStats } from './arm-stats.js';
import { audit } from '../audit.js';
import { evaluateCanary, type CanaryDecision, type CandidateHealth } from './evaluate.js';
import { planCanary, type CanaryStart } from './plan.js';
import { requireRoute, type LifecycleDeps } from '../overrides/live.js';

/** Start a canary (audited). Refuses while another canary for the same route and env is running. */
export async function startCanary(
  deps: LifecycleDeps,
  input: CanaryStart,
  defaults: { env: string; actor: string },
): Promise<CanaryRecord> {
  const env = input.env ?? defaults.env;
  const route = requireRoute(deps.config, input.route);
  const stableInput = route.targets[env];
  if (stableInput === undefined) throw new RequestError('bad_request', `route "${input.route}" has no "${env}" target`);
  const provider = input.candidate.slice(0, input.candidate.indexOf('/'));
  if (input.candidate.includes('/') && !deps.config.providers[provider]) {
    throw new RequestError(
      'bad_request',
      `candidate ${input.candidate}: provider "${provider}" is not configured in models.yml`,
    );
  }
  const existing = await deps.store.getCanary(input.route, env);
  if (existing?.status === 'running') {
    throw new RequestError(
      'bad_request',
      `a canary for ${input.route} (${env}) is already running at ${existing.percent}% with ${existing.candidate}; abort it first`,
    );
  }
  let record: CanaryRecord;
  try {
    record = planCanary({ ...input, env }, targetRef(normalizeTarget(stableInput)), env, deps.clock.now());
  } catch (e) {
    throw new RequestError('bad_request', e instanceof Error ? e.message : String(e));
  }
  await deps.store.putCanary(record);
  await audit(deps.store, deps.clock, {
    actor: input.actor ?? defaults.actor,
    action: 'canary.start',
    route: record.route,
    detail: {
      env,
      stable: record.stable,
      candidate: record.candidate,
      ramp: record.ramp,
      holdMs: record.holdMs,
      guards: record.guards,
    },
  });
  return record;
}

export async function abortCanary(
  deps: Omit<LifecycleDeps, 'config'>,
  route: string,
  env: string,
  actor: string,
  reason: string,
): Promise<CanaryRecord> {
  const existing = await deps.store.getCanary(route, env);
  if (!existing || existing.status !== 'running')
    throw new RequestError('route_not_found', `no running canary for ${route} (${env})`);
  const now = deps.clock.now();
  const record: CanaryRecord = {
    ...existing,
    status: 'aborted',
    percent: 0,
    reason: `aborted by ${actor}: ${reason}`,
    updatedAt: now,
  };
  await deps.store.putCanary(record);
  await audit(deps.store, deps.clock, {
    actor,
    action: 'canary.abort',
    route,
    detail: { env, candidate: existing.candidate, reason },
  });
  return record;
}

export interface CanaryStatusView {
  record: CanaryRecord;
  stable: ArmStats;
  canary: ArmStats;
  /** What the controller would do right now. */
  next: CanaryDecision;
}

/**
 * A canary with both arms' stats since its current step started, from the rollups: one row per arm,
 * so judging a step costs the same at 10 thousand requests as at 10 million. The step's window starts
 * at the minute holding `stepStartedAt` (the rollups' finest grain). `health` is what this gateway
 * knows of the candidate.
 */
export async function canaryStatus(
  store: Store,
  record: CanaryRecord,
  now: number,
  health?: CandidateHealth,
): Promise<CanaryStatusView> {
  const arms = await store.queryRollups({
    route: record.route,
    env: record.env,
    sinceMs: record.stepStartedAt,
    untilMs: Math.max(now, record.stepStartedAt) + 1,
    by: ['arm'],
  });
  const stable = armStatsFromSums(arms.find((a) => a.group.arm === 'stable'));
  const canary = armStatsFromSums(arms.find((a) => a.group.arm === 'canary'));
  return { record, stable, canary, next: evaluateCanary(record, stable, canary, now, health) };
}

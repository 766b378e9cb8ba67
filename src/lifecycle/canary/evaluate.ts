import type { CanaryRecord } from '../../store/types.js';
import type { BreakerState } from '../../routing/circuit-breaker.js';
import type { ArmStats } from './arm-stats.js';
import { resolveGuards, type CanaryGuards } from './guards.js';
import { formatDuration } from '../../core/duration.js';

export type CanaryAction = 'hold' | 'advance' | 'rollback' | 'complete';

export interface CanaryDecision {
  action: CanaryAction;
  reason: string;
  /** Percent after the action (advance: the next ramp step; rollback: 0). */
  percent: number;
  /** Guards that were breached (rollback only). */
  breaches: string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Every guard the canary arm breaches, as readable sentences. Pure. */
export function guardBreaches(g: CanaryGuards, stable: ArmStats, canary: ArmStats): string[] {
  const out: string[] = [];
  const errDelta = canary.errorRate - stable.errorRate;
  if (errDelta > g.max_error_rate_delta) {
    out.push(
      `error rate ${pct(canary.errorRate)} vs stable ${pct(stable.errorRate)} (delta ${pct(errDelta)} > ${pct(g.max_error_rate_delta)})`,
    );
  }
  if (canary.p95LatencyMs !== null && stable.p95LatencyMs !== null) {
    const ratio = Math.max(canary.p95LatencyMs, g.p95_floor_ms) / Math.max(stable.p95LatencyMs, g.p95_floor_ms);
    if (ratio > g.max_p95_ratio) {
      out.push(
        `p95 latency ${Math.round(canary.p95LatencyMs)} ms vs stable ${Math.round(stable.p95LatencyMs)} ms (ratio ${ratio.toFixed(2)} > ${g.max_p95_ratio})`,
      );
    }
  }
  if (canary.costPerRequest !== null && stable.costPerRequest !== null && stable.costPerRequest > 0) {
    const ratio = canary.costPerRequest / stable.costPerRequest;
    if (ratio > g.max_cost_ratio) {
      out.push(`cost per request ratio ${ratio.toFixed(2)} > ${g.max_cost_ratio}`);
    }
  }
  if (
    canary.formatValidShare !== null &&
    canary.formatChecked >= g.min_samples &&
    canary.formatValidShare < g.min_format_valid
  ) {
    out.push(`format valid ${pct(canary.formatValidShare)} < ${pct(g.min_format_valid)}`);
  }
  return out;
}

/** What the deciding gateway knows about the candidate right now, beside the arms' stats. */
export interface CandidateHealth {
  /** The candidate target's circuit breaker in this gateway. */
  breaker: BreakerState;
}

/**
 * Decide what a running canary does next, from the two arms' stats since the current step started.
 * Pure: the controller feeds it store data and the injected clock. A canary never advances or
 * completes onto a candidate whose circuit breaker is not closed: that target is failing right now,
 * whatever the records so far say.
 */
export function evaluateCanary(
  record: CanaryRecord,
  stable: ArmStats,
  canary: ArmStats,
  now: number,
  health?: CandidateHealth,
): CanaryDecision {
  const d = evaluateStats(record, stable, canary, now);
  if ((d.action === 'advance' || d.action === 'complete') && health && health.breaker !== 'closed') {
    return {
      action: 'hold',
      reason: `candidate ${record.candidate} has its circuit breaker ${health.breaker.replace('_', '-')}: not moving traffic onto it (${d.action} deferred)`,
      percent: record.percent,
      breaches: [],
    };
  }
  return d;
}

function evaluateStats(record: CanaryRecord, stable: ArmStats, canary: ArmStats, now: number): CanaryDecision {
  const g = resolveGuards(record.guards);
  const hold = (reason: string): CanaryDecision => ({ action: 'hold', reason, percent: record.percent, breaches: [] });
  if (record.status !== 'running') return hold(`canary is ${record.status}`);

  if (canary.samples < g.min_samples) {
    return hold(`waiting for samples: canary ${canary.samples}/${g.min_samples}`);
  }
  // At 100% there is no stable traffic left to compare against: only absolute guards apply then.
  const comparable = stable.samples >= g.min_samples;
  const breaches = guardBreaches(g, comparable ? stable : neutralBaseline(canary), canary);
  if (breaches.length > 0) {
    return {
      action: 'rollback',
      reason: `guard breached at ${record.percent}%: ${breaches.join('; ')}`,
      percent: 0,
      breaches,
    };
  }
  if (!comparable && record.percent < 100) {
    return hold(`waiting for samples: stable ${stable.samples}/${g.min_samples}`);
  }

  const heldMs = now - record.stepStartedAt;
  if (heldMs < record.holdMs) {
    return hold(
      `step ${record.percent}% healthy, held ${formatDuration(Math.max(0, heldMs))} of ${formatDuration(record.holdMs)}`,
    );
  }
  const next = record.ramp[record.stepIndex + 1];
  if (next === undefined) {
    return {
      action: 'complete',
      reason: `all ramp steps held for ${formatDuration(record.holdMs)} within guards (final ${record.percent}%)`,
      percent: record.percent,
      breaches: [],
    };
  }
  return {
    action: 'advance',
    reason: `step ${record.percent}% held ${formatDuration(record.holdMs)} within guards; moving to ${next}%`,
    percent: next,
    breaches: [],
  };
}

/** A baseline that makes relative guards pass, so only the absolute format guard can trip. */
function neutralBaseline(canary: ArmStats): ArmStats {
  return { ...canary, formatValidShare: null, formatChecked: 0 };
}

/** Apply a decision to a record (pure): the new record the controller stores. */
export function applyDecision(record: CanaryRecord, d: CanaryDecision, now: number): CanaryRecord {
  switch (d.action) {
    case 'hold':
      return record;
    case 'advance':
      return {
        ...record,
        percent: d.percent,
        stepIndex: record.stepIndex + 1,
        stepStartedAt: now,
        updatedAt: now,
        reason: d.reason,
      };
    case 'rollback':
      return { ...record, percent: 0, status: 'rolled_back', updatedAt: now, reason: d.reason };
    case 'complete':
      return { ...record, status: 'completed', updatedAt: now, reason: d.reason };
  }
}

import type { ArmStats } from './arm-stats.js';
import type { CanaryStatusView } from './ops.js';
import { formatDuration } from '../../core/duration.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function armLine(name: string, target: string, s: ArmStats): string {
  return `    ${name.padEnd(7)} ${target.padEnd(34)} n=${String(s.samples).padEnd(6)} errors ${pct(s.errorRate).padEnd(7)} p95 ${s.p95LatencyMs === null ? 'n/a' : Math.round(s.p95LatencyMs)} ms  cost/req ${s.costPerRequest === null ? 'n/a' : `$${s.costPerRequest.toFixed(6)}`}  format ok ${pct(s.formatValidShare)}`;
}

/** Human view of one canary: state, ramp position, both arms in the current step, next decision. */
export function formatCanaryStatus(v: CanaryStatusView): string {
  const r = v.record;
  const ramp = r.ramp.map((p, i) => (i === r.stepIndex ? `[${p}]` : String(p))).join(' -> ');
  return [
    `${r.route} (${r.env}): ${r.status} at ${r.percent}%  ramp ${ramp}  hold ${formatDuration(r.holdMs)}${r.stickyBy ? `  sticky by ${r.stickyBy}` : ''}`,
    `  since step start ${new Date(r.stepStartedAt).toISOString()}:`,
    armLine('stable', r.stable, v.stable),
    armLine('canary', r.candidate, v.canary),
    r.status === 'running' ? `  next: ${v.next.action} (${v.next.reason})` : `  reason: ${r.reason ?? 'n/a'}`,
  ].join('\n');
}

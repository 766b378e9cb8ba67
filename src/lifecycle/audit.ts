import type { Clock } from '../core/clock.js';
import type { Store } from '../store/types.js';

/** Actions written to the audit log by lifecycle changes. */
export const AUDIT_ACTIONS = [
  'override.set',
  'override.clear',
  'canary.start',
  'canary.abort',
  'canary.advance',
  'canary.rollback',
  'canary.complete',
  'shadow.start',
  'shadow.stop',
  'promote',
  'rollback.file',
  'store.prune',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export async function audit(
  store: Store,
  clock: Clock,
  entry: { actor: string; action: AuditAction; route: string | null; detail: Record<string, unknown> },
): Promise<void> {
  await store.appendAudit({ ts: clock.now(), ...entry });
}

/** Who made a change: an explicit --actor, else the OS user, else "unknown". */
export function defaultActor(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.USER ?? env.USERNAME ?? 'unknown';
}

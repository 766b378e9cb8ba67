/** Hand finished requests to extensions, after the client has its answer and never on the response path. */
import type { ModelpinError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { UsageRecord } from '../store/types.js';
import type { CallScope } from './call-scope.js';
import type { GatewayExtension, ServedEvent } from './extension.js';

export function emitServed(extensions: readonly GatewayExtension[], usage: UsageRecord, scope: CallScope, error: ModelpinError | null, logger: Logger): void {
  const plan = scope.plan;
  const request = scope.request;
  const target = scope.trace.target ?? plan?.targets[0];
  if (!plan || !request || !target) return;
  const event: ServedEvent = { route: plan.route, env: plan.env, arm: plan.arm, target, request, response: scope.response, error, usage };
  setImmediate(() => {
    for (const ext of extensions) {
      if (!ext.onServed) continue;
      try {
        ext.onServed(event);
      } catch (e) {
        logger.log('warn', 'extension onServed failed', { extension: ext.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
  });
}

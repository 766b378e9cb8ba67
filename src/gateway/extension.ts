/**
 * Extension points of the gateway. The gateway core (routing, retries, codecs, usage) calls these;
 * lifecycle features (admin API, canary controller, shadow mirror, served-model sentinel,
 * retirement countdown) implement them without touching the request path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import type { Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Logger } from '../core/logger.js';
import type { ModelpinError } from '../core/errors.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';
import type { Target } from '../config/target.js';
import type { ModelsFile } from '../config/schema.js';
import type { ProviderClient } from '../providers/types.js';
import type { BreakerState } from '../routing/circuit-breaker.js';
import type { CanaryArm, Store, UsageRecord } from '../store/types.js';

export interface GatewayContext {
  /** Current config (changes on hot reload). */
  config(): ModelsFile;
  /** Path of models.yml the gateway serves. */
  configPath: string;
  env: string;
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  metrics: Registry;
  /** Provider client for a provider id in the current config. */
  provider(id: string): ProviderClient;
  /** This gateway's circuit breaker state for a target (`provider/model`). */
  breakerState(target: string): BreakerState;
  /** Identifies this gateway process among several sharing a store. */
  gatewayId: string;
  /**
   * Re-read overrides and canaries from the store now, after this gateway wrote them, so that the
   * change routes here before the writer answers (other gateways follow on their poll).
   */
  refreshRouting(): Promise<void>;
}

/**
 * Emitted after each chat-style client request finished (success or error). Handlers must not block.
 * Embeddings calls emit none (they have no canonical request or response); their usage records are written.
 */
export interface ServedEvent {
  route: string;
  env: string;
  arm: CanaryArm;
  target: Target;
  request: CanonicalRequest;
  response: CanonicalResponse | null;
  error: ModelpinError | null;
  usage: UsageRecord;
}

export interface GatewayExtension {
  readonly name: string;
  start?(ctx: GatewayContext): Promise<void>;
  /** Called off the response path (after the client got its answer). */
  onServed?(event: ServedEvent): void;
  /** Requests under `/admin/`. Return true when handled (response written). Auth is the extension's job. */
  handleAdmin?(req: IncomingMessage, res: ServerResponse, url: RequestUrl): Promise<boolean>;
  /**
   * Called on each store poll of the gateway (every 500 ms by default, and on `gateway.refresh()`),
   * after overrides and canaries were applied: state an extension keeps in the store refreshes here,
   * on the same cadence, instead of on a timer of its own. Skipped while the store is unreachable.
   */
  onStorePoll?(): Promise<void>;
  /** Called on reload with the new config. */
  onConfig?(config: ModelsFile): void;
  stop?(): Promise<void>;
}

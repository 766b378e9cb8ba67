/**
 * The lifecycle extensions a gateway runs by default: admin API, canary controller, shadow
 * mirror, served-model sentinel and the retirement countdown metric.
 */
import type { GatewayContext, GatewayExtension } from '../gateway/extension.js';
import { adminApi } from './admin/api.js';
import { canaryController } from './canary/controller.js';
import { catalogFacts } from './catalog-facts.js';
import { retirementCountdown } from './retirement.js';
import { sentinel } from './sentinel/sentinel.js';
import { shadowMirror } from './shadow/mirror.js';
import { ShadowRegistry } from './shadow/registry.js';

export interface DefaultExtensionOptions {
  /** Canary controller interval (real time; decisions use the gateway clock). Default 1000 ms. */
  canaryIntervalMs?: number;
  /** Eval suites for shadow assertions, relative to models.yml. Default `evals`. */
  shadowSuites?: string[];
  /** Where `${ENV}` in gateway.admin_token is read from. Default process.env. */
  envVars?: NodeJS.ProcessEnv;
  /** Leave out some extensions by name (e.g. ['shadow']). */
  disable?: string[];
}

export function defaultExtensions(opts: DefaultExtensionOptions = {}): GatewayExtension[] {
  let ctx: GatewayContext | null = null;
  // A tiny first extension that captures the context so catalog lookups can see the live config.
  const context: GatewayExtension = {
    name: 'lifecycle-context',
    async start(c) {
      ctx = c;
    },
    async stop() {
      ctx = null;
    },
  };
  const facts = catalogFacts(() => ctx);
  const shadows = new ShadowRegistry();
  const all: GatewayExtension[] = [
    context,
    adminApi({ shadows, ...(opts.envVars ? { envVars: opts.envVars } : {}) }),
    canaryController(opts.canaryIntervalMs !== undefined ? { intervalMs: opts.canaryIntervalMs } : {}),
    shadowMirror({ registry: shadows, ...(opts.shadowSuites ? { suites: opts.shadowSuites } : {}) }),
    sentinel({ classify: (t) => facts(t).kind }),
    retirementCountdown({ facts }),
  ];
  const off = new Set(opts.disable ?? []);
  return all.filter((e) => !off.has(e.name));
}

import type { Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { createSimulatorProvider } from '../sim/provider.js';
import { anthropicAdapter } from './anthropic.js';
import { azureOpenAiAdapter } from './azure-openai.js';
import { geminiAdapter } from './gemini.js';
import type { ProviderAdapter } from './http/adapter.js';
import { createHttpProviderClient } from './http/client.js';
import { openaiAdapter, openaiCompatibleAdapter } from './openai.js';
import type { ProviderClient, ProviderSettings, ProviderType } from './types.js';

export interface ProviderDeps {
  clock?: Clock;
  random?: Random;
}

function http(adapter: ProviderAdapter) {
  return (settings: ProviderSettings, deps: ProviderDeps): ProviderClient => {
    if (!settings.baseUrl && !adapter.defaultBaseUrl) {
      throw new ConfigError(`provider ${settings.id}: type ${adapter.type} needs base_url`, { path: `providers.${settings.id}.base_url` });
    }
    try {
      new URL(settings.baseUrl ?? adapter.defaultBaseUrl ?? '');
    } catch {
      throw new ConfigError(`provider ${settings.id}: base_url is not a valid URL`, { path: `providers.${settings.id}.base_url` });
    }
    return createHttpProviderClient(adapter, settings, deps.clock ? { clock: deps.clock } : {});
  };
}

/** One factory per provider type. */
export const PROVIDER_FACTORIES: Record<ProviderType, (settings: ProviderSettings, deps: ProviderDeps) => ProviderClient> = {
  anthropic: http(anthropicAdapter),
  openai: http(openaiAdapter),
  gemini: http(geminiAdapter),
  'openai-compatible': http(openaiCompatibleAdapter),
  'azure-openai': http(azureOpenAiAdapter),
  simulator: (settings, deps) => createSimulatorProvider(settings, deps),
};

export function createProviderClient(settings: ProviderSettings, deps: ProviderDeps = {}): ProviderClient {
  return PROVIDER_FACTORIES[settings.type](settings, deps);
}

import type { Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import type { ModelCapabilities } from '../wire/capabilities.js';
import { createSimulatorProvider } from '../sim/provider.js';
import { anthropicAdapter } from './anthropic.js';
import { azureOpenAiAdapter } from './azure-openai.js';
import { geminiAdapter } from './gemini.js';
import type { ProviderAdapter } from './http/adapter.js';
import { createHttpProviderClient } from './http/client.js';
import { openaiAdapter, openaiCompatibleAdapter } from './openai.js';
import {
  azureOpenAiResponsesAdapter,
  openaiCompatibleResponsesAdapter,
  openaiResponsesAdapter,
} from './openai-responses.js';
import type { ProviderApi, ProviderClient, ProviderSettings, ProviderType } from './types.js';

export interface ProviderDeps {
  clock?: Clock;
  random?: Random;
  /** A target model's capabilities (from the catalog), which the request translation depends on. */
  capabilities?: (model: string) => ModelCapabilities | undefined;
}

/** The adapter per API, for provider types that offer more than one (`api:` in models.yml). */
type Adapters = ProviderAdapter | Record<ProviderApi, ProviderAdapter>;

/** A provider type with one way to call it refuses `api: responses` rather than ignore it. */
function refuseApi(settings: ProviderSettings): void {
  if (settings.api !== undefined && settings.api !== 'chat-completions') {
    throw new ConfigError(
      `provider ${settings.id}: api ${settings.api} is only for openai, openai-compatible and azure-openai providers`,
      {
        path: `providers.${settings.id}.api`,
      },
    );
  }
}

function pick(adapters: Adapters, settings: ProviderSettings): ProviderAdapter {
  if ('type' in adapters) {
    refuseApi(settings);
    return adapters;
  }
  return adapters[settings.api ?? 'chat-completions'];
}

function http(adapters: Adapters) {
  return (settings: ProviderSettings, deps: ProviderDeps): ProviderClient => {
    const adapter = pick(adapters, settings);
    if (!settings.baseUrl && !adapter.defaultBaseUrl) {
      throw new ConfigError(`provider ${settings.id}: type ${adapter.type} needs base_url`, {
        path: `providers.${settings.id}.base_url`,
      });
    }
    try {
      new URL(settings.baseUrl ?? adapter.defaultBaseUrl ?? '');
    } catch {
      throw new ConfigError(`provider ${settings.id}: base_url is not a valid URL`, {
        path: `providers.${settings.id}.base_url`,
      });
    }
    return createHttpProviderClient(adapter, settings, {
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.capabilities ? { capabilities: deps.capabilities } : {}),
    });
  };
}

/** One factory per provider type. */
export const PROVIDER_FACTORIES: Record<
  ProviderType,
  (settings: ProviderSettings, deps: ProviderDeps) => ProviderClient
> = {
  anthropic: http(anthropicAdapter),
  openai: http({ 'chat-completions': openaiAdapter, responses: openaiResponsesAdapter }),
  gemini: http(geminiAdapter),
  'openai-compatible': http({
    'chat-completions': openaiCompatibleAdapter,
    responses: openaiCompatibleResponsesAdapter,
  }),
  'azure-openai': http({ 'chat-completions': azureOpenAiAdapter, responses: azureOpenAiResponsesAdapter }),
  simulator: (settings, deps) => {
    // The in-process simulator takes canonical requests directly: no wire API to choose.
    refuseApi(settings);
    return createSimulatorProvider(settings, deps);
  },
};

export function createProviderClient(settings: ProviderSettings, deps: ProviderDeps = {}): ProviderClient {
  return PROVIDER_FACTORIES[settings.type](settings, deps);
}

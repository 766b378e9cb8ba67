/** Error messages worded as each real provider words them, so apps matching on text see familiar errors. */
import { ProviderError, type ModelpinError } from '../core/errors.js';
import type { ClientWireFormat, WireFormat } from '../wire/canonical.js';

const NOT_FOUND: Record<WireFormat, (model: string) => string> = {
  anthropic: (m) => `model: ${m}`,
  openai: (m) => `The model \`${m}\` does not exist or you do not have access to it.`,
  gemini: (m) =>
    `models/${m} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
};

const RATE_LIMIT: Record<WireFormat, string> = {
  anthropic: 'Number of requests has exceeded your rate limit (simulated).',
  openai: 'Rate limit reached for requests (simulated).',
  gemini: 'Resource has been exhausted (e.g. check quota). (simulated)',
};

/** Same code, status and retry data; the message in the format's own words. */
/** Responses errors are OpenAI's, worded the same. */
const WORDING: Record<ClientWireFormat, WireFormat> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  'openai-responses': 'openai',
};

export function nativeError(err: ModelpinError, wire: ClientWireFormat): ModelpinError {
  const format = WORDING[wire];
  const model = typeof err.details?.model === 'string' ? err.details.model : undefined;
  let message = err.message;
  if ((err.code === 'model_not_found' || err.code === 'model_retired') && model !== undefined)
    message = NOT_FOUND[format](model);
  else if (err.code === 'rate_limited') message = RATE_LIMIT[format];
  if (message === err.message) return err;
  return new ProviderError(err.code, message, { status: err.status, retryable: err.retryable, ...err.carried() });
}

import { ModelpinError, ProviderError } from '../../core/errors.js';
import { sanitizeUpstreamText, scrubSecrets, secretForms } from '../../core/secret-text.js';
import type { ProviderSettings } from '../types.js';

/**
 * The values of a provider's settings that an upstream could send back: its key, every configured
 * header value (literal or from the environment) and a password in its base URL.
 */
export function providerSecrets(settings: ProviderSettings): string[] {
  let password: string | undefined;
  try {
    password = settings.baseUrl ? decodeURIComponent(new URL(settings.baseUrl).password) : undefined;
  } catch {
    password = undefined;
  }
  return secretForms([settings.apiKey, ...Object.values(settings.headers ?? {}), password]);
}

/** Remove the secrets (and key echoes providers put in auth errors) from a message. */
export function scrubSecret(message: string, secrets: readonly string[]): string {
  return scrubSecrets(message, secrets)
    .replace(/(api key provided:\s*)\S+/gi, '$1[redacted]')
    .replace(/\b(sk|sk-proj|sk-ant)-[A-Za-z0-9_*-]{6,}/g, '[redacted]');
}

/**
 * The same error, attributed to the provider id, its text scrubbed of every secret, then made
 * plain and short: whatever the upstream put in its error reaches clients, logs and the store.
 * Scrubbed before and after sanitising, so markup inside a secret cannot hide it.
 */
export function attribute(err: ModelpinError, provider: string, secrets: readonly string[]): ModelpinError {
  const message = scrubSecret(sanitizeUpstreamText(scrubSecret(err.message, secrets)), secrets);
  const providerCode =
    err.providerCode === undefined
      ? undefined
      : scrubSecret(sanitizeUpstreamText(scrubSecret(err.providerCode, secrets), 100), secrets);
  if (err.provider === provider && message === err.message && providerCode === err.providerCode) return err;
  const opts = {
    status: err.status,
    retryable: err.retryable,
    provider,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(err.details !== undefined ? { details: err.details } : {}),
  };
  return err instanceof ProviderError
    ? new ProviderError(err.code, message, opts)
    : new ModelpinError(err.code, message, opts);
}

import { ModelpinError, ProviderError } from '../../core/errors.js';

/** Remove the key (and key echoes providers put in auth errors) from a message. */
export function scrubSecret(message: string, apiKey: string | undefined): string {
  let out = message;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/(api key provided:\s*)\S+/gi, '$1[redacted]').replace(/\b(sk|sk-proj|sk-ant)-[A-Za-z0-9_*-]{6,}/g, '[redacted]');
}

/** The same error, attributed to the provider id, with any secret scrubbed from its text. */
export function attribute(err: ModelpinError, provider: string, apiKey: string | undefined): ModelpinError {
  const message = scrubSecret(err.message, apiKey);
  if (err.provider === provider && message === err.message) return err;
  const opts = {
    status: err.status,
    retryable: err.retryable,
    provider,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err.providerCode !== undefined ? { providerCode: err.providerCode } : {}),
    ...(err.details !== undefined ? { details: err.details } : {}),
  };
  return err instanceof ProviderError ? new ProviderError(err.code, message, opts) : new ModelpinError(err.code, message, opts);
}

/**
 * One error hierarchy for the whole tool. Retry, fallback and wire encoding read
 * `code`, `status`, `retryable` and `retryAfterMs` — never the message text.
 */
export const ERROR_CODES = [
  // caller / config side
  'usage',
  'config_invalid',
  'config_not_found',
  'bad_request',
  'malformed_json',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'route_not_found',
  'passthrough_denied',
  'unsupported',
  // upstream side
  'rate_limited',
  'overloaded',
  'upstream_error',
  'upstream_bad_response',
  'timeout',
  'connection',
  'stream_cut',
  'model_not_found',
  'model_retired',
  'upstream_auth',
  'upstream_bad_request',
  'circuit_open',
  'all_targets_failed',
  // local effects
  'store',
  'io',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ModelpinErrorOptions {
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
  /** Provider-side error type/code as the provider named it (e.g. `overloaded_error`, `RESOURCE_EXHAUSTED`). */
  providerCode?: string;
  /** Provider id from models.yml (e.g. `anthropic`, `sim`). */
  provider?: string;
  /** Extra structured detail safe to show to a caller (never secrets). */
  details?: Record<string, unknown>;
}

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  usage: 2,
  config_invalid: 2,
  config_not_found: 2,
  bad_request: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  route_not_found: 404,
  passthrough_denied: 400,
  unsupported: 400,
  rate_limited: 429,
  overloaded: 529,
  upstream_error: 502,
  upstream_bad_response: 502,
  timeout: 504,
  connection: 502,
  stream_cut: 502,
  model_not_found: 404,
  model_retired: 404,
  upstream_auth: 401,
  upstream_bad_request: 400,
  circuit_open: 503,
  all_targets_failed: 502,
  store: 500,
  io: 500,
  internal: 500,
};

const DEFAULT_RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'overloaded',
  'upstream_error',
  'upstream_bad_response',
  'timeout',
  'connection',
  'stream_cut',
  'model_not_found',
  'model_retired',
  'circuit_open',
]);

export class ModelpinError extends Error {
  readonly code: ErrorCode;
  /** HTTP status for wire errors; process exit code for CLI-only codes (`usage`, `config_*`). */
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: string | undefined;
  readonly provider: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: ModelpinErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status ?? DEFAULT_STATUS[code];
    this.retryable = opts.retryable ?? DEFAULT_RETRYABLE.has(code);
    this.retryAfterMs = opts.retryAfterMs;
    this.providerCode = opts.providerCode;
    this.provider = opts.provider;
    this.details = opts.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.providerCode !== undefined ? { providerCode: this.providerCode } : {}),
      ...(this.provider !== undefined ? { provider: this.provider } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/** Wrong models.yml, suite file, scenario or catalog file. CLI exit code 2. */
export class ConfigError extends ModelpinError {
  constructor(message: string, opts: ModelpinErrorOptions & { file?: string; line?: number; col?: number; path?: string } = {}) {
    super('config_invalid', message, {
      ...opts,
      status: 2,
      details: { ...opts.details, ...pick(opts, ['file', 'line', 'col', 'path']) },
    });
  }
}

/** Bad CLI flags or arguments. CLI exit code 2. */
export class UsageError extends ModelpinError {
  constructor(message: string, opts: ModelpinErrorOptions = {}) {
    super('usage', message, { ...opts, status: 2 });
  }
}

/** A client sent something the gateway cannot accept. */
export class RequestError extends ModelpinError {}

/** An upstream provider failed or answered something unusable. */
export class ProviderError extends ModelpinError {}

/** A translation between wire formats would lose information; said out loud instead. */
export class UnsupportedError extends ModelpinError {
  constructor(message: string, opts: ModelpinErrorOptions = {}) {
    super('unsupported', message, opts);
  }
}

/** Store (SQLite/PostgreSQL) failures. */
export class StoreError extends ModelpinError {
  constructor(message: string, opts: ModelpinErrorOptions = {}) {
    super('store', message, opts);
  }
}

export function isModelpinError(e: unknown): e is ModelpinError {
  return e instanceof ModelpinError;
}

/** Wrap anything thrown into the hierarchy without losing the cause. */
export function toModelpinError(e: unknown): ModelpinError {
  if (e instanceof ModelpinError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ModelpinError('internal', message, { cause: e });
}

function pick<T extends object>(o: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

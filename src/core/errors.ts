/**
 * One error hierarchy for the whole tool. Retry, fallback and wire encoding read
 * `code`, `status`, `retryable` and `retryAfterMs` — never the message text.
 */
/**
 * Every error code with its default status (HTTP status, or the CLI exit code for `usage` and
 * `config_*`) and whether a retry or fallback may help by default.
 */
const ERROR_DEFAULTS = {
  // caller / config side
  usage: { status: 2, retryable: false },
  config_invalid: { status: 2, retryable: false },
  config_not_found: { status: 2, retryable: false },
  bad_request: { status: 400, retryable: false },
  malformed_json: { status: 400, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  route_not_found: { status: 404, retryable: false },
  passthrough_denied: { status: 400, retryable: false },
  unsupported: { status: 400, retryable: false },
  // upstream side
  rate_limited: { status: 429, retryable: true },
  overloaded: { status: 529, retryable: true },
  upstream_error: { status: 502, retryable: true },
  upstream_bad_response: { status: 502, retryable: true },
  timeout: { status: 504, retryable: true },
  connection: { status: 502, retryable: true },
  stream_cut: { status: 502, retryable: true },
  model_not_found: { status: 404, retryable: true },
  model_retired: { status: 404, retryable: true },
  upstream_auth: { status: 401, retryable: false },
  upstream_bad_request: { status: 400, retryable: false },
  circuit_open: { status: 503, retryable: true },
  all_targets_failed: { status: 502, retryable: false },
  // local effects
  store: { status: 500, retryable: false },
  io: { status: 500, retryable: false },
  internal: { status: 500, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_DEFAULTS;
export const ERROR_CODES = Object.keys(ERROR_DEFAULTS) as readonly ErrorCode[];

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
    this.status = opts.status ?? ERROR_DEFAULTS[code].status;
    this.retryable = opts.retryable ?? ERROR_DEFAULTS[code].retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.providerCode = opts.providerCode;
    this.provider = opts.provider;
    this.details = opts.details;
  }

  /** The optional data this error carries, absent keys left out: what a rewording of it must keep. */
  carried(): Pick<ModelpinErrorOptions, 'retryAfterMs' | 'providerCode' | 'provider' | 'details'> {
    return {
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.providerCode !== undefined ? { providerCode: this.providerCode } : {}),
      ...(this.provider !== undefined ? { provider: this.provider } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      ...this.carried(),
    };
  }
}

/** Wrong models.yml, suite file, scenario or catalog file. CLI exit code 2. */
export class ConfigError extends ModelpinError {
  constructor(
    message: string,
    opts: ModelpinErrorOptions & { file?: string; line?: number; col?: number; path?: string } = {},
  ) {
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

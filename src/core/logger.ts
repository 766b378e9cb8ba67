/** Structured logger (JSON lines on stderr). Injected so tests can capture and so secrets are redacted in one place. */
import { scrubSecrets } from './secret-text.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEY = /(api[_-]?key|authorization|token|secret|password|x-goog-api-key)/i;

/** Replace values of secret-looking keys, recursively, before anything is written. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export function jsonLogger(
  opts: { minLevel?: LogLevel; write?: (line: string) => void; now?: () => number } = {},
): Logger {
  const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
  const min = order[opts.minLevel ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = opts.now ?? (() => Date.now());
  return {
    log(level, msg, fields) {
      if (order[level] < min) return;
      write(
        JSON.stringify({
          ts: new Date(now()).toISOString(),
          level,
          msg,
          ...(fields ? (redact(fields) as object) : {}),
        }),
      );
    },
  };
}

export const silentLogger: Logger = { log() {} };

/**
 * A logger that writes each message at most once per `intervalMs`, and says how many it held back
 * (`suppressed`) on the next line it writes. For lines a flood of traffic could repeat thousands of times.
 */
export function rateLimitedLogger(
  inner: Logger,
  intervalMs: number,
  now: () => number,
  /** What makes two lines "the same" besides level and message (e.g. the target they name). */
  keyOf: (msg: string, fields: Record<string, unknown> | undefined) => string = () => '',
): Logger {
  const last = new Map<string, { at: number; suppressed: number }>();
  return {
    log(level, msg, fields) {
      const key = `${level}\u0000${msg}\u0000${keyOf(msg, fields)}`;
      const t = now();
      const seen = last.get(key);
      if (seen && t - seen.at < intervalMs) {
        seen.suppressed++;
        return;
      }
      if (last.size >= 1000) last.clear();
      last.set(key, { at: t, suppressed: 0 });
      inner.log(level, msg, seen && seen.suppressed > 0 ? { ...fields, suppressed: seen.suppressed } : fields);
    },
  };
}

function scrubValue(value: unknown, forms: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value, forms);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, forms, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubValue(v, forms, depth + 1);
  return out;
}

/**
 * A logger that cuts the configured secret values (see `secretForms`) out of every message and
 * field, whatever the field is called: the last line of defence for a value that reached a log line
 * through an error text. `forms` is read per line so a config reload takes effect.
 */
export function secretScrubbingLogger(inner: Logger, forms: () => readonly string[]): Logger {
  return {
    log(level, msg, fields) {
      const f = forms();
      if (f.length === 0) return inner.log(level, msg, fields);
      inner.log(level, scrubSecrets(msg, f), fields ? (scrubValue(fields, f, 0) as Record<string, unknown>) : fields);
    },
  };
}

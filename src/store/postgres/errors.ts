import { StoreError } from '../../core/errors.js';
import { describePostgres, scrub } from '../redact.js';

/**
 * The store is unreachable or too slow right now (retryable, 503): refused, reset, lost, timed out,
 * shutting down, out of connections, or a statement cancelled by statement_timeout (57014) or a
 * session ended by idle_in_transaction_session_timeout (25P03).
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '25P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);
/** node-postgres reports a lost or unusable connection with these messages and no code. */
const CONNECTION_LOST = /timeout|Connection terminated|not queryable|Client was closed|pool after calling end/i;

/** Turn a node-postgres error into a StoreError naming the host (never the password). */
export function postgresError(e: unknown, url: string, op: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const raw = scrub(e instanceof Error ? e.message : String(e), url);
  const where = describePostgres(url);
  if (CONNECTION_CODES.has(code) || (code === '' && CONNECTION_LOST.test(raw))) {
    const why = /^[0-9A-Z]{5}$/.test(code) ? `${raw} (SQLSTATE ${code})` : code || raw;
    return new StoreError(`cannot reach ${where} while ${op}: ${why}`, {
      cause: e,
      retryable: true,
      status: 503,
      details: { driverCode: code },
    });
  }
  if (code === '28P01' || code === '28000')
    return new StoreError(`${where}: authentication failed while ${op}`, { cause: e, details: { driverCode: code } });
  if (code === '3D000')
    return new StoreError(`${where}: database does not exist (${op})`, { cause: e, details: { driverCode: code } });
  if (code === '53100')
    return new StoreError(`${where}: disk full while ${op}`, {
      cause: e,
      retryable: true,
      details: { driverCode: code },
    });
  return new StoreError(`${where}: ${op} failed: ${raw}`, {
    cause: e,
    retryable: code.startsWith('40'),
    details: { driverCode: code },
  });
}

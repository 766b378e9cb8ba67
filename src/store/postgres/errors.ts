import { StoreError } from '../../core/errors.js';
import { describePostgres, scrub } from '../redact.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '57P01', '57P03', '08001', '08006']);

/** Turn a node-postgres error into a StoreError naming the host (never the password). */
export function postgresError(e: unknown, url: string, op: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const raw = scrub(e instanceof Error ? e.message : String(e), url);
  const where = describePostgres(url);
  const timeout = /timeout/i.test(raw);
  if (CONNECTION_CODES.has(code) || timeout) {
    return new StoreError(`cannot reach ${where} while ${op}: ${code || raw}`, { cause: e, retryable: true, status: 503, details: { driverCode: code } });
  }
  if (code === '28P01' || code === '28000') return new StoreError(`${where}: authentication failed while ${op}`, { cause: e, details: { driverCode: code } });
  if (code === '3D000') return new StoreError(`${where}: database does not exist (${op})`, { cause: e, details: { driverCode: code } });
  if (code === '53100') return new StoreError(`${where}: disk full while ${op}`, { cause: e, retryable: true, details: { driverCode: code } });
  return new StoreError(`${where}: ${op} failed: ${raw}`, { cause: e, retryable: code.startsWith('40'), details: { driverCode: code } });
}

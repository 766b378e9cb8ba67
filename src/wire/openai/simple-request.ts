/**
 * The common Chat Completions request, recognised without zod: a handful of scalar settings and
 * messages whose content is one string. Such a body passes the field table and `ChatRequest`
 * unchanged (zod would return an equal copy), so the decoder can take it as it is. This only
 * ever says yes when the schema would; anything else (tools, content parts, a value out of range,
 * a field it does not list) returns null and goes through the field table and zod, which give the
 * same result or the same error as before. It runs on every gateway request, where the zod parse
 * and the walks before it cost as much as the rest of the format work together.
 */
import { REASONING_EFFORTS } from '../canonical.js';
import type { ChatRequest } from './schemas.js';

const ROLES: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);
const EFFORTS: ReadonlySet<unknown> = new Set(REASONING_EFFORTS);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const numIn = (v: unknown, lo: number, hi: number): boolean =>
  v === null || (typeof v === 'number' && v >= lo && v <= hi);
const positiveInt = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0);
const nullableBool = (v: unknown): boolean => v === null || typeof v === 'boolean';

/** `{ role, content: string }` with one of the four plain roles, nothing else. */
function simpleMessages(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const m of v) {
    if (!isObject(m) || !ROLES.has(m.role) || typeof m.content !== 'string') return false;
    let keys = 0;
    for (const _ in m) keys++;
    if (keys !== 2) return false;
  }
  return true;
}

function simpleStop(v: unknown): boolean {
  if (v === null || typeof v === 'string') return true;
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function simpleStreamOptions(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v)) return false;
  for (const k in v) {
    if (k === 'include_usage' ? typeof v[k] !== 'boolean' : k !== 'include_obfuscation' || !nullableBool(v[k]))
      return false;
  }
  return true;
}

/** The body as a `ChatRequest` when it has the common shape, else null (decode it the full way). */
export function simpleChatRequest(body: unknown): ChatRequest | null {
  if (!isObject(body)) return null;
  for (const k in body) {
    const v = body[k];
    let ok: boolean;
    switch (k) {
      case 'model':
        ok = typeof v === 'string' && v !== '';
        break;
      case 'messages':
        ok = simpleMessages(v);
        break;
      case 'temperature':
        ok = numIn(v, 0, 2);
        break;
      case 'top_p':
        ok = numIn(v, 0, 1);
        break;
      case 'presence_penalty':
      case 'frequency_penalty':
        ok = numIn(v, -2, 2);
        break;
      case 'max_tokens':
      case 'max_completion_tokens':
      case 'n':
        ok = positiveInt(v);
        break;
      case 'seed':
        ok = v === null || (typeof v === 'number' && Number.isSafeInteger(v));
        break;
      case 'stream':
        ok = nullableBool(v);
        break;
      case 'stop':
        ok = simpleStop(v);
        break;
      case 'stream_options':
        ok = simpleStreamOptions(v);
        break;
      case 'reasoning_effort':
        ok = v === null || EFFORTS.has(v);
        break;
      case 'user':
        ok = typeof v === 'string';
        break;
      case 'safety_identifier':
        ok = v === null || typeof v === 'string';
        break;
      default:
        ok = false;
    }
    if (!ok) return null;
  }
  return typeof body.model === 'string' && body.messages !== undefined ? (body as ChatRequest) : null;
}

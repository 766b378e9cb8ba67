/**
 * The HTTP helpers every server of modelpin shares (gateway, admin API, dashboard, simulator):
 * bounded body reads, JSON answers, header lookup. Lean on purpose: the gateway's hot path runs on them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';

/**
 * Read the whole body, refusing (413) as soon as it passes `limit` bytes. `setting` names what
 * raises the limit (the gateway's by default; '' for a fixed limit).
 */
export function readBody(req: IncomingMessage, limit: number, setting = 'gateway.body_limit_bytes'): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit, setting));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) {
        // Keep draining so the client can read our 413 instead of a reset connection.
        req.resume();
        reject(err);
      } else resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) return finish(tooLarge(limit, setting));
      chunks.push(c);
    };
    const onEnd = (): void => finish(null);
    const onError = (e: Error): void => finish(e);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number, setting: string): RequestError {
  const where = setting.startsWith('gateway.') ? 'the gateway limit' : 'the limit';
  return new RequestError(
    'payload_too_large',
    `request body exceeds ${where} of ${limit} bytes${setting ? ` (${setting})` : ''}`,
    {
      details: { limitBytes: limit },
    },
  );
}

/** A JSON body; `emptyAs` is what an empty (or blank) body reads as, when that is allowed. */
export function parseJsonBody(buf: Buffer, emptyAs?: unknown): unknown {
  if (emptyAs !== undefined && buf.toString('utf8').trim() === '') return emptyAs;
  if (buf.length === 0) throw new RequestError('malformed_json', 'request body is empty; expected a JSON object');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message : 'invalid JSON';
    throw new RequestError('malformed_json', `request body is not valid JSON: ${why}`);
  }
}

/** A bounded body read as JSON, for servers off the hot path: an empty body reads as `{}`. */
export async function readJson(req: IncomingMessage, limit: number, setting?: string): Promise<unknown> {
  return parseJsonBody(await readBody(req, limit, setting ?? ''), {});
}

/** `headers` is completed in place (content type and length): pass an object built for this answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), headers);
}

/**
 * The error body of modelpin's own APIs (admin API, dashboard): `{error: {code, message, param?}}`.
 * Model calls answer errors in the caller's wire format instead (wire/<format>/errors.ts).
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  opts: { param?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(
    res,
    status,
    { error: { code, message, ...(opts.param !== undefined ? { param: opts.param } : {}) } },
    { ...opts.headers },
  );
}

/** A JSON answer already in text form. `headers` is completed in place, as for `sendJson`. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    res.end();
    return;
  }
  // Callers hand over a header object built for this answer: complete it rather than copy it.
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

/** Lower-case header lookup that folds repeated headers to their first value. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

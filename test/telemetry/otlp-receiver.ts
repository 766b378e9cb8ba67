/**
 * A local OTLP/HTTP receiver: what a collector would get. JSON requests (http/json) are parsed into
 * spans and metric points; protobuf requests are kept as raw bytes.
 */
import { listenLoopback, readBody } from '../support/loopback-server.js';

type AnyValue = {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export type AttrValue = string | number | boolean | AttrValue[] | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, AttrValue>;
  status: { code?: number; message?: string };
  resource: Record<string, AttrValue>;
}

export interface ReceivedPoint {
  metric: string;
  unit: string;
  attributes: Record<string, AttrValue>;
  count: number;
  sum: number;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  /** Raw request bodies by path, with their content type. */
  raw: Array<{ path: string; contentType: string; body: Buffer }>;
  waitFor<T>(find: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function value(v: AnyValue): AttrValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(value);
  return null;
}

export function attrs(kvs: KeyValue[] | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of kvs ?? []) out[kv.key] = value(kv.value);
  return out;
}

interface TraceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }>;
  }>;
}
interface MetricRequest {
  resourceMetrics?: Array<{
    scopeMetrics?: Array<{
      metrics?: Array<{
        name: string;
        unit?: string;
        histogram?: { dataPoints?: Array<{ attributes?: KeyValue[]; count?: number | string; sum?: number }> };
      }>;
    }>;
  }>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const raw: OtlpReceiver['raw'] = [];
  const server = await listenLoopback((req, res) => {
    void readBody(req).then((body) => {
      const contentType = req.headers['content-type'] ?? '';
      raw.push({ path: req.url ?? '', contentType, body });
      if (contentType.includes('json')) {
        const json = JSON.parse(body.toString('utf8')) as TraceRequest & MetricRequest;
        for (const rs of json.resourceSpans ?? []) {
          const resource = attrs(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                traceId: String(s['traceId']),
                spanId: String(s['spanId']),
                parentSpanId: String(s['parentSpanId'] ?? ''),
                name: String(s['name']),
                kind: Number(s['kind']),
                attributes: attrs(s['attributes'] as KeyValue[] | undefined),
                status: (s['status'] as ReceivedSpan['status'] | undefined) ?? {},
                resource,
              });
            }
          }
        }
        for (const rm of json.resourceMetrics ?? []) {
          for (const sm of rm.scopeMetrics ?? []) {
            for (const m of sm.metrics ?? []) {
              for (const p of m.histogram?.dataPoints ?? [])
                points.push({
                  metric: m.name,
                  unit: m.unit ?? '',
                  attributes: attrs(p.attributes),
                  count: Number(p.count ?? 0),
                  sum: p.sum ?? 0,
                });
            }
          }
        }
      }
      res.writeHead(200, {
        'content-type': contentType.includes('json') ? 'application/json' : 'application/x-protobuf',
      });
      res.end(contentType.includes('json') ? '{}' : '');
    });
  });
  return {
    url: server.url,
    spans,
    points,
    raw,
    async waitFor(find, what, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = find();
        if (v !== undefined) return v;
        if (Date.now() > until)
          throw new Error(
            `OTLP receiver: no ${what} within ${timeoutMs} ms (${spans.length} spans, ${points.length} points received)`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: server.close,
  };
}

/** Just enough PromQL reading for the dashboard and rules tests: metric names and selector label names. */

/** Labels Prometheus adds at scrape time; the gateway itself never exports them. */
export const SCRAPE_LABELS = new Set(['env', 'instance', 'job']);

const withoutStrings = (expr: string): string => expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');

/** Metric names a PromQL expression reads (modelpin's metrics all start with `modelpin_`; `modelpin:` are recording rules). */
export function metricNames(expr: string): string[] {
  return [...new Set(withoutStrings(expr).match(/\bmodelpin[_:][A-Za-z0-9_:]*/g) ?? [])];
}

/** Each `metric{...}` selector with the label names its matchers use. */
export function selectors(expr: string): Array<{ metric: string; labels: string[] }> {
  const out: Array<{ metric: string; labels: string[] }> = [];
  for (const m of withoutStrings(expr).matchAll(/\b(modelpin_[A-Za-z0-9_]*)\s*(\{([^}]*)\})?/g)) {
    const labels = (m[3] ?? '')
      .split(',')
      .map((s) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/.exec(s)?.[1])
      .filter((l): l is string => l !== undefined);
    out.push({ metric: m[1] ?? '', labels });
  }
  return out;
}

/** Grafana variables replaced by values Prometheus accepts, so an expression can be checked by promtool. */
export function withGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$env', '.*')
    .replaceAll('$route', '.*');
}

export interface Exposition {
  /** Metric family name → type, from `# TYPE` lines. */
  types: Map<string, string>;
  /** Sample name → label names seen on its samples. */
  samples: Map<string, Set<string>>;
}

/** Read Prometheus text exposition (what /metrics answers). */
export function readExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)/.exec(line);
    if (t?.[1] && t[2]) types.set(t[1], t[2]);
    if (line === '' || line.startsWith('#')) continue;
    const s = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!s?.[1]) continue;
    const set = samples.get(s[1]) ?? new Set<string>();
    for (const l of (s[3] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="/g)) if (l[1]) set.add(l[1]);
    samples.set(s[1], set);
  }
  return { types, samples };
}

/** The family a sample name belongs to: `x_bucket` of histogram `x` → `x`. */
export function family(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && (types.get(base) === 'histogram' || types.get(base) === 'summary') ? base : undefined;
}

/**
 * Counters and histograms for the request path, exposed through a prom-client Registry.
 * prom-client hashes and validates the label set on every `inc`/`observe`, even through
 * `labels()` children; here a label set resolves once to a cell of plain numbers, and the
 * text format is produced only at scrape time, in the same shape prom-client prints.
 */
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

export interface CounterCell {
  inc(value?: number): void;
}

export interface HistogramCell {
  observe(value: number): void;
}

class CounterCellImpl implements CounterCell {
  value = 0;
  touched = false;
  constructor(readonly labels: Labels) {}
  inc(value = 1): void {
    this.value += value;
    this.touched = true;
  }
}

class HistogramCellImpl implements HistogramCell {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    this.sum += value;
    this.count += 1;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= (b[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }
}

abstract class CellMetric<C> {
  readonly aggregator = 'sum' as const;
  protected readonly cells = new Map<string, C>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The Registry only reads name/help/type/aggregator and calls get()/reset(): the shape prom-client's own metrics have.
    registry.registerMetric(this as unknown as Metric);
  }

  protected resolve(labels: Labels): C {
    let key = '';
    for (const n of this.labelNames) key += `${labels[n] ?? ''}\u0000`;
    let c = this.cells.get(key);
    if (!c) {
      const ordered: Labels = {};
      for (const n of this.labelNames) ordered[n] = labels[n] ?? '';
      c = this.create(ordered);
      this.cells.set(key, c);
    }
    return c;
  }

  /** Zero every series (cells stay valid: the request path keeps references to them). */
  reset(): void {
    for (const c of this.cells.values()) this.zero(c);
  }

  protected abstract create(labels: Labels): C;
  protected abstract zero(cell: C): void;
}

export class FastCounter extends CellMetric<CounterCellImpl> {
  readonly type = 'counter' as const;

  protected create(labels: Labels): CounterCellImpl {
    return new CounterCellImpl(labels);
  }

  protected zero(c: CounterCellImpl): void {
    c.value = 0;
    c.touched = false;
  }

  /** The cell for a label set; callers on the request path keep the returned cell. */
  cell(labels: Labels = {}): CounterCell {
    return this.resolve(labels);
  }

  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    for (const c of this.cells.values()) if (c.touched) values.push({ labels: c.labels, value: c.value });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class FastHistogram extends CellMetric<HistogramCellImpl> {
  readonly type = 'histogram' as const;
  private readonly bounds: readonly number[];

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
    registry: Registry,
  ) {
    super(name, help, labelNames, registry);
    this.bounds = [...buckets].sort((a, b) => a - b);
  }

  protected create(labels: Labels): HistogramCellImpl {
    return new HistogramCellImpl(labels, this.bounds);
  }

  protected zero(c: HistogramCellImpl): void {
    c.counts.fill(0);
    c.sum = 0;
    c.count = 0;
  }

  /** The cell for a label set; callers on the request path keep the returned cell. */
  cell(labels: Labels = {}): HistogramCell {
    return this.resolve(labels);
  }

  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const c of this.cells.values()) {
      if (c.count === 0) continue;
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.counts[i] ?? 0;
        values.push({ labels: { le, ...c.labels }, value: acc, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...c.labels }, value: c.count, metricName: bucket });
      values.push({ labels: c.labels, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: c.labels, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

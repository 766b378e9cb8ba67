/** Plain-text tables for the CLI: padded columns, right-aligned numbers, width from content. */
export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

/** Visible width, ignoring ANSI colour codes picocolors adds. */
function width(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i] ?? 0, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatUsd(v: number | null): string {
  if (v === null) return 'unknown';
  if (v === 0) return '$0';
  if (Math.abs(v) >= 1) return `$${v.toFixed(2)}`;
  if (Math.abs(v) >= 0.01) return `$${v.toFixed(4)}`;
  return `$${v.toPrecision(3)}`;
}

export function formatMs(v: number | null): string {
  return v === null ? '-' : `${Math.round(v)} ms`;
}

export function formatPct(v: number): string {
  return `${(v * 100).toFixed(v > 0 && v < 0.001 ? 2 : 1)}%`;
}

export function formatInt(v: number): string {
  return v.toLocaleString('en-US');
}

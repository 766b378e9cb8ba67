/**
 * CSV test data: a case with `vars_from: data.csv` becomes one case per row, the header naming the
 * vars. The file is read relative to the suite, so a suite and its data move together.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { suiteError } from './issues.js';

export function readCsvRows(
  path: string,
  at: { file: string; path: string; dir: string },
): Array<Record<string, string>> {
  const rel = path.replace(/^file:\/\//, '');
  let text: string;
  try {
    text = readFileSync(resolve(at.dir, rel), 'utf8');
  } catch (e) {
    throw suiteError(
      at.file,
      at.path,
      `cannot read ${rel}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: false,
      relax_column_count: false,
    }) as Array<Record<string, string>>;
  } catch (e) {
    throw suiteError(at.file, at.path, `${rel} is not valid CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (rows.length === 0) throw suiteError(at.file, at.path, `${rel} has a header but no rows`);
  return rows;
}

/**
 * Expand every case that has `vars_from` into one case per CSV row: `<id>-<row>` ids, the row's
 * columns as vars under the case's own vars. Other cases pass through unchanged.
 */
export function expandCsvCases(
  cases: readonly unknown[],
  at: { file: string; dir: string },
): Array<{ raw: unknown; path: string }> {
  const out: Array<{ raw: unknown; path: string }> = [];
  cases.forEach((c, i) => {
    const path = `cases[${i}]`;
    if (c === null || typeof c !== 'object' || Array.isArray(c) || !('vars_from' in c)) {
      out.push({ raw: c, path });
      return;
    }
    const { vars_from: from, ...rest } = c as Record<string, unknown>;
    if (typeof from !== 'string' || from.length === 0)
      throw suiteError(at.file, `${path}.vars_from`, 'expected the path of a CSV file, e.g. data/questions.csv');
    const rows = readCsvRows(from, { file: at.file, path: `${path}.vars_from`, dir: at.dir });
    const own = (rest.vars ?? {}) as Record<string, unknown>;
    const base = typeof rest.id === 'string' ? rest.id : `case-${i + 1}`;
    rows.forEach((row, r) =>
      out.push({
        raw: { ...rest, id: `${base}-${r + 1}`, vars: { ...own, ...row } },
        path: `${path} (${from} row ${r + 1})`,
      }),
    );
  });
  return out;
}

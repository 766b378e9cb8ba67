/**
 * The SQL fragments of the rollup statements that differ by dialect, and the merge of stored
 * histograms inside an upsert. Histograms live in two columns per kind (migration 10):
 * - `latency_hist` / `ttft_hist`: the JSON object form `{"bin":count}` that versions before 10 write
 *   and merge with the databases' JSON functions; this version writes `{}` there on PostgreSQL, and
 *   keeps writing this form on SQLite (sql/dialect.ts `rollupLayout`), whose compact columns stay empty;
 * - `latency_bins` / `ttft_bins`: the compact form (`encodeBins` in histogram.ts), a quarter of the text.
 * The histogram of a row is the sum of both, so a gateway still on an older version during a rolling
 * upgrade keeps adding into the JSON column of the rows it shares with newer ones, and this version's
 * upsert folds whatever JSON a row holds into the compact column as it adds its own bins.
 */
import type { SqlDialect } from './migrations.js';

export interface SqlParts {
  ph: (i: number) => string;
  least: (a: string, b: string) => string;
  greatest: (a: string, b: string) => string;
  /** Concatenate the histogram texts over a group, both columns (`bins` false: the JSON column alone). */
  histAgg: (json: string, bins: string | null) => string;
  /** The JSON column merged as versions before 10 merged it (migrations 6 and 9 write through it). */
  mergeJson: (t: string, col: string) => string;
  /** The compact column after an upsert: its bins, the incoming row's and the row's JSON leftovers added. */
  mergeBins: (t: string, bins: string, json: string) => string;
  /** A JSON column's bins in the compact form (migration 10's conversion of the rows already stored). */
  binsOfJson: (json: string) => string;
}

/** SQLite writes the JSON layout (sql/dialect.ts `rollupLayout`): asked for the compact one, it fails loudly. */
const jsonLayoutOnly = (): never => {
  throw new Error(
    'SQLite rollups keep their histograms in the JSON columns; the compact form is written on PostgreSQL only',
  );
};

/** PostgreSQL: (bin, count) rows of a compact text, `bin:c,c,…;` runs. */
const pgBinPairs = (s: string): string =>
  `SELECT split_part(p.run, ':', 1)::int + u.i::int - 1 AS bin, u.c::bigint AS c FROM unnest(string_to_array(${s}, ';')) AS p(run), unnest(string_to_array(split_part(p.run, ':', 2), ',')) WITH ORDINALITY AS u(c, i) WHERE p.run <> ''`;
const pgJsonPairs = (j: string): string => `SELECT key::int AS bin, value::bigint AS c FROM json_each_text(${j})`;
/** (bin, count) rows summed per bin and written back as runs of consecutive bins (gaps and islands). */
const pgRunsOf = (pairs: string): string =>
  `COALESCE((SELECT string_agg(r.run, '' ORDER BY r.lo) FROM (SELECT MIN(m.bin) AS lo, MIN(m.bin)::text || ':' || string_agg(m.n::text, ',' ORDER BY m.bin) || ';' AS run FROM (SELECT x.bin, SUM(x.c) AS n, x.bin - row_number() OVER (ORDER BY x.bin) AS island FROM (${pairs}) AS x GROUP BY x.bin HAVING SUM(x.c) > 0) AS m GROUP BY m.island) AS r), '')`;

export const PARTS: Record<SqlDialect, SqlParts> = {
  sqlite: {
    ph: () => '?',
    // SQLite's two-argument min/max return NULL when either side is NULL.
    least: (a, b) => `COALESCE(MIN(${a}, ${b}), ${a}, ${b})`,
    greatest: (a, b) => `COALESCE(MAX(${a}, ${b}), ${a}, ${b})`,
    histAgg: (json, bins) => `group_concat(${bins === null ? json : `${json} || ${bins}`}, '')`,
    mergeJson: (t, col) =>
      `COALESCE((SELECT json_group_object(m.key, m.n) FROM (SELECT u.key AS key, SUM(u.value) AS n FROM (SELECT key, value FROM json_each(${t}.${col}) UNION ALL SELECT key, value FROM json_each(excluded.${col})) AS u GROUP BY u.key) AS m), '{}')`,
    mergeBins: jsonLayoutOnly,
    binsOfJson: jsonLayoutOnly,
  },
  postgres: {
    ph: (i) => `$${i}`,
    least: (a, b) => `LEAST(${a}, ${b})`,
    greatest: (a, b) => `GREATEST(${a}, ${b})`,
    // `json` is text kept as written (not `jsonb`): the cast costs nothing.
    histAgg: (json, bins) => `string_agg(${bins === null ? `${json}::text` : `${json}::text || ${bins}`}, '')`,
    mergeJson: (t, col) =>
      `COALESCE((SELECT json_object_agg(m.key, m.n) FROM (SELECT u.key AS key, SUM(u.value::bigint) AS n FROM (SELECT key, value FROM json_each_text(${t}.${col}) UNION ALL SELECT key, value FROM json_each_text(excluded.${col})) AS u GROUP BY u.key) AS m), '{}'::json)`,
    // A bucket's first write, or a row with nothing to fold, costs no parsing.
    mergeBins: (t, bins, json) =>
      `CASE WHEN ${t}.${json}::text = '{}' AND (${t}.${bins} = '' OR excluded.${bins} = '') THEN ${t}.${bins} || excluded.${bins} ELSE ${pgRunsOf(`${pgBinPairs(`${t}.${bins}`)} UNION ALL ${pgBinPairs(`excluded.${bins}`)} UNION ALL ${pgJsonPairs(`${t}.${json}`)}`)} END`,
    binsOfJson: (json) => pgRunsOf(pgJsonPairs(json)),
  },
};

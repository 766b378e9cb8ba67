/** Messages between the main thread and the usage insert thread (plain data: structured clone). */

/** Passed as `workerData`: how to open the same database file the main thread uses. */
export interface UsageWorkerData {
  file: string;
  busyTimeoutMs: number;
  pragmas: string[];
  /** `INSERT INTO usage_records (...) VALUES (?, ...)`, built on the main thread from the column spec. */
  insertSql: string;
  /** Values per row; `values` holds `rows * width` encoded values, row after row. */
  width: number;
}

/** A batch, already encoded for SQLite: one flat array is far cheaper to clone than an object per row. */
export interface UsageBatchMessage {
  id: number;
  values: unknown[];
}

/** Finish: close the connection and let the thread exit (sent after every batch was acked). */
export interface UsageCloseMessage {
  close: true;
}

export type UsageAckMessage = { id: number; ok: true } | { id: number; ok: false; message: string; code: string };

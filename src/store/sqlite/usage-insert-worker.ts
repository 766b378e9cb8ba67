/**
 * Usage insert thread: owns its own better-sqlite3 connection to the store file (WAL, so the main
 * thread's connection reads what this one commits) and runs each batch as one transaction, so the
 * ~8 µs per row that SQLite spends on the table and its indexes is not spent on the request thread.
 * Every batch is answered with an ack; a failure is answered with the driver's code so the main
 * thread can turn it into the same StoreError an in-thread insert would give.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { UsageAckMessage, UsageBatchMessage, UsageCloseMessage, UsageWorkerData } from './usage-insert-protocol.js';

const data = workerData as UsageWorkerData;
const port = parentPort;
if (!port) throw new Error('usage-insert-worker must run in a worker thread');

let db: Database.Database | null = null;
let insert: ((values: unknown[]) => void) | null = null;

/** Opened on the first batch (and again after a failed open), so a failure is reported per batch. */
function open(): (values: unknown[]) => void {
  if (insert) return insert;
  const conn = new Database(data.file, { fileMustExist: true });
  try {
    conn.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
    conn.pragma('synchronous = NORMAL');
    for (const p of data.pragmas) conn.pragma(p);
    const stmt = conn.prepare(data.insertSql);
    const w = data.width;
    const tx = conn.transaction((values: unknown[]) => {
      for (let i = 0; i < values.length; i += w) stmt.run(values.slice(i, i + w));
    });
    db = conn;
    insert = (values) => tx.immediate(values);
    return insert;
  } catch (e) {
    conn.close();
    throw e;
  }
}

port.on('message', (m: UsageBatchMessage | UsageCloseMessage) => {
  if ('close' in m) {
    if (db?.open) db.close();
    port.close();
    return;
  }
  let ack: UsageAckMessage;
  try {
    open()(m.values);
    ack = { id: m.id, ok: true };
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    ack = { id: m.id, ok: false, message: e instanceof Error ? e.message : String(e), code };
  }
  port.postMessage(ack);
});

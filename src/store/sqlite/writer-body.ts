/**
 * The writer thread's whole program, as source text run with `new Worker(WRITER_BODY, { eval: true })`.
 *
 * Why text and not a module file: the thread must start the same way from the built package (dist/,
 * JavaScript) and from the TypeScript sources the tests run (vitest, tsx), and Node 20 cannot load a
 * `.ts` file in a worker without a loader. A body that only executes statement lists needs none of the
 * project's modules: the main thread builds every statement (SqlStore), resolves `better-sqlite3` from
 * its own location and passes the path, the file and the pragmas in `workerData`. It is kept this small
 * so that it can be read whole; the tests run it through real threads.
 *
 * Messages in: `{ id, add, stmts }`: `add` are new statement texts, numbered after those sent before
 * to this thread; each statement is `[text number (or the text), params, orStop]` (see Stmt.orStop); or `{ close: true }`.
 * Messages out: `{ id }` once committed, or `{ id, error: { code, message } }` after a rollback.
 */
export const WRITER_BODY = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const texts = [];
const prepared = [];
let db = null;

function open() {
  if (db !== null) return db;
  const d = new Database(workerData.file, { fileMustExist: true });
  try {
    d.pragma('journal_mode = WAL');
    d.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
    d.pragma('synchronous = NORMAL');
    d.pragma('foreign_keys = ON');
    for (const p of workerData.pragmas) d.pragma(p);
  } catch (e) {
    d.close();
    throw e;
  }
  return (db = d);
}

function stmt(i) {
  if (typeof i === 'string') return db.prepare(i);
  let s = prepared[i];
  if (s === undefined) prepared[i] = s = db.prepare(texts[i]);
  return s;
}

function run(list) {
  for (const [i, params, orStop] of list) if (stmt(i).run(...params).changes === 0 && orStop) return;
}

parentPort.on('message', (m) => {
  if (m.close) {
    if (db !== null) db.close();
    parentPort.close();
    return;
  }
  for (const t of m.add) texts.push(t);
  try {
    open().transaction(run)(m.stmts);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    const code = e !== null && typeof e === 'object' && 'code' in e ? String(e.code) : '';
    parentPort.postMessage({ id: m.id, error: { code, message: e instanceof Error ? e.message : String(e) } });
  }
});
`;

/**
 * What `modelpin serve` notices of models.yml on disk: every way it is commonly replaced, once per change,
 * and nothing else that happens in its directory (a usage database often lives beside it).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchConfig } from '../../src/gateway/config-watch.js';
import type { Logger } from '../../src/core/logger.js';

const quiet: Logger = { log: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function watching(path: string): { changes: () => number } {
  let n = 0;
  stops.push(watchConfig(path, () => n++, quiet, { debounceMs: 50, pollMs: 200 }));
  return { changes: () => n };
}

/** A directory holding a plain models.yml, watched, once the watch has settled. */
async function watchedFile(): Promise<{ dir: string; path: string; changes: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-cw-'));
  const path = join(dir, 'models.yml');
  writeFileSync(path, 'routes: {}\n');
  const w = watching(path);
  await sleep(300);
  return { dir, path, changes: w.changes };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(25);
}

describe('watchConfig', () => {
  it('notices a Kubernetes ConfigMap update: the ..data symlink swapped to a new directory', async () => {
    // The layout the kubelet writes: models.yml -> ..data/models.yml, ..data -> ..<timestamp>.
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-cm-'));
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', 'models.yml'), 'routes: {}\n');
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync('..data/models.yml', join(dir, 'models.yml'));
    const w = watching(join(dir, 'models.yml'));
    await sleep(300);

    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'models.yml'), 'routes: { a: { targets: { production: x/y } } }\n');
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    rmSync(join(dir, '..v1'), { recursive: true });

    await until(() => w.changes() > 0, 3000);
    expect(w.changes()).toBe(1);
  });

  it('notices an editor that saves by writing a new file and renaming it over models.yml, once', async () => {
    const { dir, path, ...w } = await watchedFile();
    writeFileSync(join(dir, '.models.yml.swp'), 'routes: { b: {} }\n');
    renameSync(join(dir, '.models.yml.swp'), path);
    await until(() => w.changes() > 0, 3000);
    await sleep(600); // the poll has run a few times since: it must not count the same change again
    expect(w.changes()).toBe(1);
  });

  it('notices a write in place, once', async () => {
    const { path, ...w } = await watchedFile();
    writeFileSync(path, 'routes: { c: {} }\n');
    await until(() => w.changes() > 0, 3000);
    await sleep(600);
    expect(w.changes()).toBe(1);
  });

  it('ignores busy neighbours: a database and its WAL written beside models.yml', async () => {
    const { dir, ...w } = await watchedFile();
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(dir, 'usage.db-wal'), `page ${i}`);
      await sleep(20);
    }
    await sleep(400);
    expect(w.changes()).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import { storeConformance } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-store-'));
storeConformance(
  'sqlite',
  () => openStore({ type: 'sqlite', path: 'nested/dir/modelpin.db' }, { baseDir: dir }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import { storeConformance } from './conformance.js';

export const PG_URL = process.env.MODELPIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `mp_conf_${process.pid}_${Date.now().toString(36)}`;

storeConformance(
  'postgres',
  () => openStore({ type: 'postgres', url: PG_URL }, { schema }),
  async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  },
);

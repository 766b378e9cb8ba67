import { openStore } from '../../src/store/open.js';
import { storeConformance } from './conformance.js';
import { PG_URL, dropPgSchema, pgSchemaName } from './fixtures.js';

const schema = pgSchemaName('mp_conf');

storeConformance(
  'postgres',
  () => openStore({ type: 'postgres', url: PG_URL }, { schema }),
  () => dropPgSchema(schema),
);

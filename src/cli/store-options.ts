/** The options every command that reads the store takes: the models.yml that names it, or the store itself. */
import type { Command } from 'commander';

export function storeSourceOptions(c: Command): Command {
  return c
    .option('-c, --config <file>', 'models.yml to read the store location from (default: ./models.yml)')
    .option('--store <path|url>', 'read this store directly: a SQLite file or a postgres:// URL');
}

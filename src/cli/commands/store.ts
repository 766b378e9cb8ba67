import type { Command } from 'commander';
import { defaultIo, type CliIo } from '../../store/cli-io.js';
import { PRUNE_KINDS } from '../../store/prune.js';
import { DEFAULT_RETENTION } from '../../store/retention.js';
import { action } from '../action.js';
import { addCommand, type CommandModule } from '../registry.js';
import { runStorePrune, type StorePruneOptions } from './store-prune.js';

const defaults = PRUNE_KINDS.map((k) => `${k} ${DEFAULT_RETENTION[k]}`).join(', ');

export function registerStore(program: Command, io: () => CliIo = defaultIo): void {
  const store = addCommand(program, 'store');
  store
    .command('prune')
    .description('delete rows older than their retention (store.retention in models.yml, or the defaults); audited')
    .option('-c, --config <file>', 'models.yml with the store and its retention (default: ./models.yml)')
    .option('--store <path|url>', 'prune this store directly: a SQLite file or a postgres:// URL (default retention)')
    .option('--older-than <age>', 'one age for every pruned table instead of the configured ones: 36h, 30d, 2w')
    .option('--only <tables>', `comma-separated: ${PRUNE_KINDS.join(', ')}`)
    .option('--dry-run', 'count what would be deleted; delete nothing')
    .option('--actor <name>', 'who is pruning, for the audit log (default: $USER)')
    .option('--json', 'print the per-table counts as JSON')
    .addHelpText(
      'after',
      `
Default retention (when models.yml has no store.retention):
  ${defaults}
The audit log is never pruned. --older-than does not touch a table kept "never"
unless --only names it. Rows go in batches of 5,000, each its own short
transaction, so a running gateway keeps writing.

Examples:
  modelpin store prune --dry-run
  modelpin store prune --older-than 30d --only usage,shadow_pairs
  modelpin store prune --store .modelpin/modelpin.db --json
  modelpin store prune --store postgres://modelpin@db:5432/modelpin --only eval_runs --older-than 400d`,
    )
    .action(action((o: StorePruneOptions) => runStorePrune(o, io())));
}

export const command: CommandModule = { register: (program) => registerStore(program) };

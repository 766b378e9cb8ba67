/** The options every lifecycle command (canary, shadow) takes: where the config is, which env, how to reach a gateway's admin API. */
import type { Command } from 'commander';
import { DEFAULT_ADMIN_TOKEN_ENV } from '../lifecycle/cli-support.js';

export function lifecycleOptions(c: Command): Command {
  return c
    .option('-c, --config <file>', 'models.yml path', 'models.yml')
    .option('--env <name>', 'environment', 'production')
    .option('--gateway <url>', 'gateway base URL; without it the store is used directly')
    .option('--admin-token-env <var>', 'env var holding the gateway admin token', DEFAULT_ADMIN_TOKEN_ENV)
    .option('--actor <name>', 'who does it (default: $USER)')
    .option('--json', 'print JSON');
}

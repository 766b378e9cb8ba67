/**
 * The `modelpin` entry point: `import { createClient } from 'modelpin'`.
 *
 * Everything a library user reaches is listed here by name (docs/library.md); nothing is
 * re-exported wholesale, so moving internals does not change what users can import. Mutable
 * registries stay internal: users get functions and types. Low-level pieces have their own
 * entries: `modelpin/wire` (codecs, SSE), `modelpin/providers` (provider clients),
 * `modelpin/sim` (the provider simulator).
 */
export {
  ModelpinError,
  ConfigError,
  UsageError,
  RequestError,
  ProviderError,
  UnsupportedError,
  StoreError,
  isModelpinError,
  type ErrorCode,
} from './core/errors.js';
export type { Clock } from './core/clock.js';
export type { Random } from './core/random.js';
export { responseText } from './wire/canonical.js';
export type * from './wire/canonical.js';
export type { ModelCapabilities } from './wire/capabilities.js';

export {
  createClient,
  type ModelpinClient,
  type ClientOptions,
  type ClientRequest,
  type ClientResult,
  type ClientStream,
} from './client/create-client.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway/server.js';
export type { GatewayExtension } from './gateway/extension.js';
export { defaultExtensions, type DefaultExtensionOptions } from './lifecycle/extensions.js';

export { loadConfig, type LoadedConfig } from './config/load.js';
export type { ModelsFile, RouteConfig } from './config/schema.js';
export { resolveRoute, providerSettings, type Resolution } from './config/resolve.js';
export { lintConfig, type Finding } from './lint/lint.js';

export {
  loadCatalog,
  capabilitiesOf,
  type Catalog,
  type Classification,
  type CatalogEntry,
} from './catalog/catalog.js';
export { costUsd } from './catalog/cost.js';
export { deriveLifecycle, type DerivedLifecycle, type LifecycleStatus } from './catalog/lifecycle.js';
export { checkCatalogData, type CheckFinding, type CheckResult } from './catalog/check.js';
export { planOutdated, type OutdatedRow, type OutdatedInput } from './lifecycle/promote/outdated-plan.js';

export { openStore, type OpenStoreOptions } from './store/open.js';
export type * from './store/types.js';
export { UsageWriter, type UsageWriterOptions, type UsageWriterStats } from './store/usage-writer.js';
export { summarizeUsage, type UsageRow, type UsageGrouping } from './usage/summarize.js';
export { usageSeries, parseInterval, type UsageSeries, type SeriesPoint } from './usage/series.js';
export {
  computeStreaks,
  snapshotStreak,
  type StreakReport,
  type StreakResult,
  type DayResult,
} from './history/streaks.js';
export {
  createDashboardServer,
  createDashboardHandler,
  type DashboardOptions,
  type DashboardServerOptions,
  type DashboardServer,
} from './dashboard/server.js';

export { defineSuite, type SuiteInput, type CaseInput, type AssertionInput } from './evals/suite-schema.js';
export type { CheckFunction, CheckFunctionContext, CheckFunctionResult } from './evals/assertions/javascript.js';

export { armStats, type ArmStats } from './lifecycle/canary/arm-stats.js';
export { evaluateCanary, type CanaryDecision, type CanaryAction } from './lifecycle/canary/evaluate.js';

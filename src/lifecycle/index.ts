/** Public lifecycle API: promote/rollback planning, canary judgement, overrides, gateway extensions. */
export { defaultExtensions, type DefaultExtensionOptions } from './extensions.js';
export {
  evaluateCanary,
  applyDecision,
  guardBreaches,
  type CanaryDecision,
  type CanaryAction,
} from './canary/evaluate.js';
export { armStats, type ArmStats } from './canary/arm-stats.js';
export { DEFAULT_GUARDS, GUARD_NAMES, resolveGuards, type CanaryGuards, type GuardName } from './canary/guards.js';
export { planCanary, canaryStartSchema, type CanaryStart } from './canary/plan.js';
export { startCanary, abortCanary, canaryStatus, type CanaryStatusView } from './canary/ops.js';
export { canaryController, type CanaryController } from './canary/controller.js';
export {
  setLiveOverride,
  clearLiveOverride,
  activeOverrides,
  overrideInputSchema,
  type OverrideInput,
  type LifecycleDeps,
} from './overrides/live.js';
export { planPromotion, type PromotePlan, type PromoteInput } from './promote/plan.js';
export { prBody } from './promote/pr-body.js';
export { setPin, readTarget, readPrevious } from './promote/yaml-edit.js';
export { planFileRollback } from './promote/rollback-file.js';
export { decideSentinel, type SentinelAlert } from './sentinel/decide.js';
export { sentinel, type Sentinel } from './sentinel/sentinel.js';
export { shadowMirror, type ShadowMirror } from './shadow/mirror.js';
export { ShadowRegistry, type ShadowSetting } from './shadow/registry.js';
export { startShadow, stopShadow, shadowStartSchema, type ShadowStart } from './shadow/ops.js';
export { shadowReport, type ShadowReport } from './shadow/report.js';
export { adminApi } from './admin/api.js';
export { retirementCountdown, retirementRows, daysUntil } from './retirement.js';
export {
  planOutdated,
  duePins,
  lineOf,
  type OutdatedRow,
  type OutdatedInput,
  type OutdatedState,
} from './promote/outdated-plan.js';

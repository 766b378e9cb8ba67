/** Lint findings and the rule registry: every rule has a stable id, a severity and a description. */
export type Severity = 'error' | 'warning' | 'info';

export interface RuleMeta {
  severity: Severity;
  description: string;
}

export const RULES = {
  'floating-in-production': {
    severity: 'error',
    description:
      'A target (or fallback/canary/shadow target) of the linted env is a floating alias and the route is not float-allowed with a reason.',
  },
  'unknown-model': {
    severity: 'error',
    description:
      'A model id in the linted env is not in the catalog and matches no naming rule; declare it under catalog.models.',
  },
  'retired-model': {
    severity: 'error',
    description: 'A target in any env is a retired snapshot (or an alias pointing at one).',
  },
  'undefined-provider': {
    severity: 'error',
    description: 'A target names a provider that is not defined under providers:.',
  },
  'duplicate-route': {
    severity: 'error',
    description: 'A route name appears twice; YAML silently keeps the last one.',
  },
  'duplicate-key': {
    severity: 'error',
    description: 'A key appears twice in the same mapping; YAML silently keeps the last one.',
  },
  'literal-secret': {
    severity: 'error',
    description: 'An API key, client key, admin token or auth header is written literally instead of as ${ENV_VAR}.',
  },
  'float-allowed-without-reason': { severity: 'error', description: 'policy: float-allowed needs a reason.' },
  'invalid-env-override': {
    severity: 'error',
    description: 'An override env var (MODELPIN_<ROUTE>_<ENV> or env_var) is set but is not provider/model.',
  },
  'stale-validation': {
    severity: 'warning',
    description: 'last_validated is older than lint.max_validated_age_days (default 30).',
  },
  'deprecated-model': {
    severity: 'warning',
    description: 'A snapshot in the linted env is deprecated; the message names its replacement.',
  },
  'retiring-soon': {
    severity: 'warning',
    description: 'A snapshot in the linted env retires within lint.retiring_within_days (default 90).',
  },
  'not-in-catalog': {
    severity: 'warning',
    description:
      'A model id in the linted env matches only a naming rule: its shape is known, the model is not (it may not exist). Check the provider listing or declare it under catalog.models.',
  },
  'preview-in-production': {
    severity: 'warning',
    description: 'A preview model (fixed name, short-lived) serves the linted env.',
  },
  'staging-equals-production': {
    severity: 'warning',
    description: 'staging and production name the same target, so staging evals cannot show drift.',
  },
  'float-allowed': { severity: 'warning', description: 'Routes allowed to float are listed for visibility.' },
  'unset-env-var': { severity: 'warning', description: 'An env var that a target or its provider needs is unset.' },
  'missing-env-target': { severity: 'warning', description: 'A route has no target for the linted env.' },
  'not-validated': { severity: 'info', description: 'A route has no last_validated date.' },
  'env-override': {
    severity: 'info',
    description: 'An env var overrides the models.yml target; shown so the effective value is visible.',
  },
  'provider-inferred': {
    severity: 'info',
    description: 'Plain shape: the provider of a bare model id was inferred from the catalog.',
  },
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  route?: string;
  path: (string | number)[];
  line?: number;
  col?: number;
}

export interface LintOptions {
  env: string;
  /** YYYY-MM-DD; all date rules are evaluated against it. */
  today: string;
  envVars: Record<string, string | undefined>;
}

export function finding(rule: RuleId, message: string, path: (string | number)[], route?: string): Finding {
  return { rule, severity: RULES[rule].severity, message, path, ...(route !== undefined ? { route } : {}) };
}

/**
 * The state routing needs, rebuilt only when something changes (config reload, store poll):
 * the route table, provider clients, catalog pricing and the dispatcher with its breakers.
 * Shared by the gateway and the in-process client so both route and retry the same way.
 */
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Logger } from '../core/logger.js';
import type { ModelsFile } from '../config/schema.js';
import { providerSettings } from '../config/resolve.js';
import { capabilitiesOf, loadCatalog, type Catalog } from '../catalog/catalog.js';
import { retiredReason } from '../catalog/lifecycle.js';
import { costUsd } from '../catalog/cost.js';
import { createProviderClient } from '../providers/registry.js';
import type { ProviderClient } from '../providers/types.js';
import type { CanaryRecord, OverrideRecord } from '../store/types.js';
import type { Usage } from '../wire/canonical.js';
import type { ModelCapabilities } from '../wire/capabilities.js';
import { PairMap } from '../core/pair-map.js';
import { createDispatcher, type Dispatcher } from './execute.js';
import type { Sleep } from './dispatch.js';
import { combineDispatchEvents, loggingDispatchEvents, type DispatchEvents } from './dispatch-events.js';
import { buildRouteTable } from './table.js';
import type { ModelClassifier, RouteTable } from './types.js';

export interface RuntimeDeps {
  env: string;
  clock: Clock;
  random: Random;
  logger: Logger;
  envVars: Record<string, string | undefined>;
  /** models.yml directory: relative catalog files resolve against it. */
  baseDir?: string;
  sleep?: Sleep;
  /** Tests may swap in their own provider clients (e.g. a counting wrapper). */
  providerFactory?: (id: string, file: ModelsFile) => ProviderClient;
  /** Told of failed attempts, retries, fallbacks and breaker transitions, besides the log (the gateway counts them). */
  events?: Partial<DispatchEvents>;
}

interface ProviderSlot {
  signature: string;
  client: ProviderClient;
}

export class RoutingRuntime {
  private fileValue: ModelsFile;
  private tableValue: RouteTable;
  private catalog: Catalog;
  private overrides: readonly OverrideRecord[] = [];
  private canaries: readonly CanaryRecord[] = [];
  private storeSignature = '';
  private readonly providers = new Map<string, ProviderSlot>();
  /** Catalog price lookups classify the id; cache them per provider/model until the next reload. */
  private readonly prices = new PairMap<ReturnType<Catalog['price']>>();
  /** Capability lookups classify the id too: cached per provider/model until the next reload. */
  private readonly capabilities = new PairMap<ModelCapabilities | undefined>();
  readonly dispatcher: Dispatcher;

  private constructor(
    file: ModelsFile,
    catalog: Catalog,
    private readonly deps: RuntimeDeps,
  ) {
    this.fileValue = file;
    this.catalog = catalog;
    this.dispatcher = createDispatcher(file.retry, {
      clock: deps.clock,
      random: deps.random,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      provider: (id) => this.provider(id),
      events: combineDispatchEvents(
        loggingDispatchEvents(deps.logger, () => deps.clock.now()),
        deps.events,
      ),
    });
    this.tableValue = this.buildTable(file, catalog, true);
  }

  static create(file: ModelsFile, deps: RuntimeDeps): RoutingRuntime {
    return new RoutingRuntime(file, loadCatalog({ file, ...(deps.baseDir ? { baseDir: deps.baseDir } : {}) }), deps);
  }

  get file(): ModelsFile {
    return this.fileValue;
  }
  get table(): RouteTable {
    return this.tableValue;
  }
  get env(): string {
    return this.deps.env;
  }

  /** Swap in a new, already validated config. Provider clients whose settings did not change are kept. */
  applyConfig(file: ModelsFile): void {
    const catalog = loadCatalog({ file, ...(this.deps.baseDir ? { baseDir: this.deps.baseDir } : {}) });
    // Build first: a file whose routes do not resolve throws here and the old state keeps serving.
    const table = this.buildTable(file, catalog, true);
    this.fileValue = file;
    this.catalog = catalog;
    this.prices.clear();
    this.capabilities.clear();
    this.dispatcher.configure(file.retry);
    for (const [id, slot] of this.providers) {
      if (!(id in file.providers) || this.signatureOf(id) !== slot.signature) {
        this.providers.delete(id);
        void slot.client.close?.().catch(() => {});
      }
    }
    this.tableValue = table;
  }

  /** Apply overrides and canaries read from the store. Returns true when routing changed. */
  applyStoreState(overrides: readonly OverrideRecord[], canaries: readonly CanaryRecord[]): boolean {
    const signature = JSON.stringify([overrides, canaries.filter((c) => c.status === 'running')]);
    if (signature === this.storeSignature) return false;
    this.storeSignature = signature;
    this.overrides = overrides;
    this.canaries = canaries;
    this.tableValue = this.buildTable(this.fileValue, this.catalog, false);
    return true;
  }

  provider(id: string): ProviderClient {
    const slot = this.providers.get(id);
    if (slot) return slot.client;
    const client = this.deps.providerFactory
      ? this.deps.providerFactory(id, this.fileValue)
      : createProviderClient(providerSettings(this.fileValue, id), {
          clock: this.deps.clock,
          random: this.deps.random,
          // Read at call time: a reloaded catalog answers without rebuilding the client.
          capabilities: (model) => this.capabilitiesOf(id, model),
        });
    this.providers.set(id, { signature: this.signatureOf(id), client });
    return client;
  }

  /** What the catalog knows of a target model's capabilities (read by the request translation). */
  capabilitiesOf(provider: string, model: string): ModelCapabilities | undefined {
    if (this.capabilities.has(provider, model)) return this.capabilities.get(provider, model);
    const caps = capabilitiesOf(this.catalog, provider, model);
    if (this.capabilities.size > 10_000) this.capabilities.clear(); // passthrough ids come from clients: keep the cache bounded
    this.capabilities.set(provider, model, caps);
    return caps;
  }

  /** USD for a call, or null when the catalog has no price. */
  price = (provider: string, model: string, usage: Usage): number | null => {
    let p = this.prices.get(provider, model);
    if (p === undefined) {
      if (this.prices.size > 10_000) this.prices.clear(); // as capabilities: passthrough ids are the client's
      p = this.catalog.price(provider, model);
      this.prices.set(provider, model, p);
    }
    return p ? costUsd(p, usage) : null;
  };

  async close(): Promise<void> {
    const slots = [...this.providers.values()];
    this.providers.clear();
    await Promise.all(slots.map((s) => s.client.close?.().catch(() => {})));
  }

  private signatureOf(id: string): string {
    return JSON.stringify(this.fileValue.providers[id] ?? null);
  }

  private buildTable(file: ModelsFile, catalog: Catalog, strict: boolean): RouteTable {
    const classify: ModelClassifier = (model, provider) => catalog.classify(model, provider.id).kind;
    const today = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    return buildRouteTable({
      strict,
      retired: (t) => retiredReason(catalog, t.provider, t.model, today),
      file,
      env: this.deps.env,
      envVars: this.deps.envVars,
      overrides: this.overrides,
      canaries: this.canaries,
      classify,
      now: this.deps.clock.now(),
    });
  }
}

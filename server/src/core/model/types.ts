import type { Location } from '../text';

import type { EventKind, Isolation, PackMode, Policy as PolicyName, Priority, Role, Spread } from '../syntax/words';
import type { EventFields } from './events';

export type { EventKind, Isolation, PackMode, Priority, Role, Spread };

/**
 * The resolved model: what a file means, with every quantity in canonical units
 * (bytes, cores, bytes per second, seconds, fractions) and every reference resolved to
 * an index. Produced by the binder from the syntax trees of a file and its imports.
 * Plain data: no methods, no cycles, safe to send to a worker or serialise.
 *
 * Indexes: `Node.id` is its index in `Model.nodes`; likewise racks, sdses, containers.
 * Declaration order is kept everywhere (imports first, in import order).
 */
export type Policy = PolicyName;

export interface Defaults {
  readonly cpuRatio: number;
  readonly memoryRatio: number;
  readonly policy: Policy;
  readonly seed: number;
  /** Simulated seconds. */
  readonly duration: number;
  /** Seconds per tick. */
  readonly tick: number;
  /** Locality below which T500 is reported, 0..1. */
  readonly localityThreshold: number;
  readonly headroom: number;
  /** Packing of racks that do not say (`pack`). */
  readonly pack: PackMode;
  /** The price of one kWh (`energy`), or null. */
  readonly energy: number | null;
  /** Seconds over which sizing counts energy (`lifetime`, default 3 years of 365 days). */
  readonly lifetime: number;
  /** Where the defaults block is (null when the file has none): quick fixes insert here. */
  readonly block: BlockLocation | null;
  /** Value locations of the properties that were written. */
  readonly at: Partial<Record<'cpuRatio' | 'memoryRatio' | 'policy' | 'seed' | 'duration' | 'tick' | 'localityThreshold' | 'headroom' | 'pack' | 'energy' | 'lifetime', Location>>;
}

/** Where a declaration's block is, for edits: the whole block, its name, and its braces. */
export interface BlockLocation {
  readonly file: string;
  /** The whole declaration, keyword to closing brace. */
  readonly span: { readonly start: number; readonly end: number };
  /** Offset just after `{`, or -1 when missing. */
  readonly bodyStart: number;
  /** Offset of `}`, or -1 when missing. */
  readonly bodyEnd: number;
}

export interface Link {
  /** Seconds. */
  readonly latency: number;
  /** Bytes per second. */
  readonly bandwidth: number;
  /** Where `bandwidth` is written (absent: the default); for the fabric, its first block's keyword (racks have their name). */
  readonly at?: Partial<Record<'bandwidth' | 'block' | 'pack', Location>>;
}

export interface Rack extends Link {
  readonly id: number;
  readonly name: string;
  readonly nameAt: Location;
  readonly block: BlockLocation;
  /** Indexes into Model.nodes, declaration order. */
  readonly nodes: readonly number[];
  /** The rack's own `pack`, or null (the defaults' then). */
  readonly pack: PackMode | null;
  readonly at: Partial<Record<'pack' | 'bandwidth', Location>>;
}

export interface Device {
  readonly name: string;
  readonly bytes: number;
  readonly at: Location;
}

export interface Node {
  readonly id: number;
  /** `r1.n3`: the reference used in results and messages. */
  readonly ref: string;
  readonly name: string;
  readonly rack: number;
  readonly cores: number;
  /** Bytes. */
  readonly memory: number;
  /** Bytes per second. */
  readonly nic: number;
  readonly disks: readonly Device[];
  readonly role: Role;
  /** What the node costs to buy (`price`, the file's currency), or null. */
  readonly price: number | null;
  /** Its average draw in watts (`power`), or null. */
  readonly power: number | null;
  /** The SDS this node belongs to, or null. */
  readonly sds: number | null;
  /** Where the node's name is written (for a range, the whole `n1..n8`). */
  readonly nameAt: Location;
  readonly block: BlockLocation;
  /** Value locations of `cores` and `memory`, when written. */
  readonly at: Partial<Record<'cores' | 'memory' | 'role' | 'nic', Location>>;
}

export interface Sds {
  readonly id: number;
  readonly name: string;
  readonly nameAt: Location;
  readonly block: BlockLocation;
  readonly nodes: readonly number[];
  /** False when `nodes` named something that did not resolve (reported there): `nodes` holds the rest, and capacity checks of the SDS are skipped. */
  readonly nodesComplete: boolean;
  /** Per node. */
  readonly reserveCores: number;
  readonly reserveMemory: number;
  readonly cpuRatio: number;
  readonly memoryRatio: number;
  readonly policy: Policy;
  /** Bytes. */
  readonly granularity: number;
  /** Seconds: the fixed cost of one vCPU move and one chunk move besides the transfer (`overhead vcpu D chunk D`). */
  readonly overheadVcpu: number;
  readonly overheadChunk: number;
  readonly at: Partial<Record<'nodes' | 'cpuRatio' | 'memoryRatio' | 'policy' | 'granularity' | 'reserve' | 'overhead', Location>>;
}

/** A `tenant` block: how its containers are kept apart from other tenants', its quota and its oversubscription cap. */
export interface Tenant {
  readonly id: number;
  readonly name: string;
  readonly nameAt: Location;
  readonly block: BlockLocation;
  readonly isolation: Isolation;
  /** The cost of one VM (`isolation vm`): cores and bytes, counted as request and limit on a shared node. */
  readonly overhead: { readonly cpu: number; readonly memory: number };
  /** The most the requests of all its replicas may add up to, per resource (null: no quota on it); null when no `quota`. */
  readonly quota: { readonly cpu: number | null; readonly memory: number | null } | null;
  /** The most a node or SDS hosting it may be oversubscribed, per resource (null: no cap on it); null when no `oversubscribe`. */
  readonly oversubscribe: { readonly cpu: number | null; readonly memory: number | null } | null;
  readonly at: Partial<Record<'isolation' | 'overhead' | 'quotaCpu' | 'quotaMemory' | 'quota' | 'cpuRatio' | 'memoryRatio', Location>>;
}

export type Target =
  | { readonly kind: 'sds'; readonly sds: number; readonly at: Location }
  | { readonly kind: 'rack'; readonly rack: number; readonly at: Location }
  | { readonly kind: 'nodes'; readonly nodes: readonly number[]; readonly at: Location };

export interface Talk {
  readonly container: number;
  /** 0..1. */
  readonly weight: number;
  readonly at: Location;
}

export interface IoAffinity {
  readonly node: number;
  readonly device: string;
  /** 0..1. */
  readonly weight: number;
  readonly at: Location;
}

export interface Container {
  readonly id: number;
  readonly name: string;
  readonly nameAt: Location;
  readonly block: BlockLocation;
  readonly image: string | null;
  readonly replicas: number;
  /** Cores, per replica. */
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  /** Bytes, per replica. */
  readonly memoryRequest: number;
  readonly memoryLimit: number;
  /** 0..1. */
  readonly load: number;
  /** Bytes. */
  readonly workingSet: number;
  readonly skew: number;
  /** 0..1. */
  readonly writes: number;
  readonly talks: readonly Talk[];
  readonly io: readonly IoAffinity[];
  /** Null only when unresolved (a diagnostic was reported) or the file has no target at all. */
  readonly target: Target | null;
  /** True when `place on` was not written and the single SDS or rack was taken. */
  readonly targetImplicit: boolean;
  readonly spread: Spread | null;
  /** `spread nodes even` / `spread racks even`: replica counts per node (rack) differ by at most one. */
  readonly spreadEven: boolean;
  readonly colocate: { readonly container: number; readonly at: Location } | null;
  readonly priority: Priority;
  /** Index into Model.tenants, or null: the default tenant (shared). */
  readonly tenant: number | null;
  /** Bytes per second each replica requests of its node's `nic` (`network`); 0 when not written. */
  readonly network: number;
  /** Value locations of the properties that were written: the smallest range a person would change. */
  readonly at: Partial<Record<'replicas' | 'cpuRequest' | 'cpuLimit' | 'memoryRequest' | 'memoryLimit' | 'load' | 'workingSet' | 'spread' | 'priority' | 'place' | 'tenant' | 'network', Location>>;
}

/** A scenario event: its kind, time and place, and what the kind carries (model/events.ts). */
export type ScenarioEvent = { [K in EventKind]: { readonly kind: K; readonly t: number; readonly at: Location } & EventFields[K] }[EventKind];

export interface Scenario {
  readonly id: number;
  readonly name: string;
  readonly nameAt: Location;
  readonly block: BlockLocation;
  readonly duration: number | null;
  readonly seed: number | null;
  readonly policy: Policy | null;
  /** In time order (stable for equal times). Events whose references did not resolve are left out. */
  readonly events: readonly ScenarioEvent[];
}

export interface Model {
  /** The root file, then imported files in the order they were first imported. */
  readonly files: readonly string[];
  readonly defaults: Defaults;
  readonly fabric: Link;
  readonly racks: readonly Rack[];
  readonly nodes: readonly Node[];
  readonly sdses: readonly Sds[];
  readonly tenants: readonly Tenant[];
  readonly containers: readonly Container[];
  readonly scenarios: readonly Scenario[];
}

import type { Severity, DiagnosticCode } from './diagnostics';
import type { LineRange } from './text';
import type { EventKind, Policy } from './model/types';

/**
 * The versioned documents the core produces for the outside world: the CLI prints them,
 * the language server sends them, the preview draws only them. Field names follow
 * ../shared/spec/simulator.md ("Outputs"); additions are allowed, renames are not.
 */

/** Version of the placement document (`topo place`). */
export const RESULT_VERSION = '1';
/** Version of the simulation document (`topo simulate`): 2 is the simulator of ../shared/spec/simulator.md v2. */
export const SIMULATION_VERSION = '2';

// ---------------------------------------------------------------- placement (`topo place`)

export interface CpuMemory {
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
}

export interface PlacedReplica {
  readonly container: string;
  /** Zero-based replica index. */
  readonly replica: number;
}

export interface NodePlacement {
  readonly ref: string;
  readonly role: 'active' | 'spare';
  readonly capacity: CpuMemory;
  /** Capacity x oversubscription ratios. */
  readonly allowance: CpuMemory;
  /** Sum of requests of the replicas placed here. */
  readonly requested: CpuMemory;
  /** Sum of limits of the replicas placed here. */
  readonly limited: CpuMemory;
  readonly replicas: readonly PlacedReplica[];
}

export interface TargetPlacement {
  /** The target as written: an SDS or rack name, or a node set like `r1.n1..n4`. */
  readonly target: string;
  readonly kind: 'sds' | 'rack' | 'nodes';
  /** For an SDS: summed capacity less reserves; for packed targets: the active nodes' sum. */
  readonly capacity: CpuMemory;
  readonly allowance: CpuMemory;
  readonly requested: CpuMemory;
  readonly limited: CpuMemory;
  /** Containers placed on this target, declaration order. */
  readonly containers: readonly string[];
  /** Per node. For an SDS, nodes are listed with capacity and no replicas (the simulator places them). */
  readonly nodes: readonly NodePlacement[];
  /** Replicas that fit nowhere, with the reason. */
  readonly unplaced: readonly (PlacedReplica & { readonly reason: string })[];
  /** Failure headroom: how many node losses were checked and whether everything still fits. */
  readonly headroom: TargetHeadroom;
  /** Racks and node sets: how replicas were packed onto the nodes (`spread` balances them, `tight` fills few). */
  readonly pack?: 'tight' | 'spread';
}

export interface TargetHeadroom {
  readonly failures: number;
  /** False when replicas no longer fit after the loss (then `topo check` reports T404 on them). */
  readonly ok: boolean;
  readonly lost: readonly string[];
  /**
   * `off` (headroom 0), `single` (one node and nothing that could take its place: not checked),
   * `ok` or `short`.
   */
  readonly status?: 'off' | 'single' | 'ok' | 'short';
  /** Spares that take the lost nodes' place. */
  readonly standIns?: readonly string[];
  /** Containers that lose replicas after the loss, how many, and why. */
  readonly short?: readonly { readonly container: string; readonly replicas: number; readonly cause: ShortCause }[];
}

export interface PlacementResult {
  readonly version: typeof RESULT_VERSION;
  readonly file: string;
  readonly targets: readonly TargetPlacement[];
}

// ---------------------------------------------------------------- simulation (`topo simulate`)

export interface SimulationInput {
  readonly file: string;
  readonly seed: number;
  /** The run's policy: the one asked for (`--policy`), else the scenario's, else the file's (its only SDS's or its `defaults`'). */
  readonly policy: Policy;
  /**
   * The policy each SDS ran, by SDS name: an SDS's own `policy` holds for it unless the run
   * (`--policy`) or the scenario sets one, which overrides every SDS's.
   */
  readonly sdsPolicies?: Readonly<Record<string, Policy>>;
  /** Simulated seconds. */
  readonly duration: number;
  readonly tick: number;
  readonly scenario: string | null;
  /** Sampled accesses per vCPU per tick asked for (each SDS may have been coarsened below it, T502). */
  readonly samples: number;
  /** True when every real access was drawn (`--exact`). */
  readonly exact: boolean;
  /** Real memory accesses one busy vCPU issues per second of computing. */
  readonly accessRate: number;
}

export interface SimulationSummary {
  /** 0..1, steady state: share of the accesses of the second half of the run that were local. */
  readonly locality: number;
  /** 95% confidence half-width of `locality` (batch means over the steady state). */
  readonly localityError: number;
  /** Steady state, over every container's computing: (computing with time slicing + stall) / computing. */
  readonly slowdown: number;
  readonly slowdownError: number;
  readonly stallSeconds: number;
  readonly vcpuMigrations: number;
  readonly chunkMigrations: number;
  readonly replications: number;
  readonly networkBytes: number;
  readonly wallMillis: number;
  /** Sampled accesses the simulator drew (each stands for many real ones); with `exact`, the real accesses. */
  readonly sampledAccesses: number;
  /** Simulated seconds the figures cover: the duration, or less when an event was not absorbed. */
  readonly simulatedSeconds: number;
}

export interface ContainerResult {
  readonly name: string;
  readonly replicas: number;
  /** The target's name as written. */
  readonly target: string;
  /** Steady state; null when the container ran no replica then (scaled to 0). */
  readonly locality: number | null;
  readonly localityError: number;
  /** (compute time with time slicing + stall time) / compute time, steady state; null as locality. */
  readonly slowdown: number | null;
  readonly slowdownError: number;
  /** nodeRef -> share of its memory there. */
  readonly nodes: Readonly<Record<string, number>>;
  /** nodeRef -> share of its vCPUs there. */
  readonly vcpus: Readonly<Record<string, number>>;
  /** Optional (the preview sizes container marks by it): bytes of memory of all its replicas. */
  readonly memory?: number;
}

export interface NodeResult {
  readonly ref: string;
  readonly sds: string | null;
  readonly cores: number;
  readonly memory: number;
  readonly cpuUtil: number;
  readonly memoryUsed: number;
  readonly failed: boolean;
}

export interface EdgeResult {
  readonly from: string;
  readonly to: string;
  readonly weight: number;
  readonly locality: number;
}

export interface Timeline {
  readonly t: readonly number[];
  readonly locality: readonly number[];
  readonly vcpuMigrations: readonly number[];
  readonly chunkMigrations: readonly number[];
  readonly networkBytes: readonly number[];
}

/** Optional per-node series, same length as `timeline.t` (the preview's node heatmap). */
export interface NodeTimeline {
  readonly ref: string;
  /** 0..1 per sample. */
  readonly cpuUtil: readonly number[];
  /** Bytes per sample. */
  readonly memoryUsed: readonly number[];
}

/** Optional per-container locality series, same length as `timeline.t` (the preview's locality view). */
export interface ContainerTimeline {
  readonly name: string;
  readonly locality: readonly number[];
}

export interface EventResult {
  readonly t: number;
  readonly kind: EventKind;
  readonly target: string;
  /** False when the run did not absorb it (it stopped there). */
  readonly absorbed: boolean;
  /** False for an event after one that was not absorbed: the run never got there. */
  readonly reached?: boolean;
}

export interface SimulationDiagnostic {
  readonly code: Extract<DiagnosticCode, 'T500' | 'T501' | 'T502' | 'T503' | 'T504'>;
  readonly severity: Severity;
  readonly message: string;
  /** The container or event (e.g. `fail r1.n3 at 5s`) it concerns. */
  readonly subject: string;
  readonly file: string;
  readonly range: LineRange;
  /** The scenario whose run found it, null for the base deployment. */
  readonly scenario?: string | null;
  /** Other places that matter (the scenario, the base run's figure). */
  readonly related?: readonly { readonly file: string; readonly range: LineRange; readonly message: string }[];
}

export interface SimulationResult {
  readonly version: typeof SIMULATION_VERSION;
  readonly input: SimulationInput;
  readonly summary: SimulationSummary;
  readonly containers: readonly ContainerResult[];
  readonly nodes: readonly NodeResult[];
  readonly edges: readonly EdgeResult[];
  readonly timeline: Timeline;
  readonly events: readonly EventResult[];
  readonly diagnostics: readonly SimulationDiagnostic[];
  /** Optional: per-node utilisation over time (see NodeTimeline). */
  readonly nodeTimeline?: readonly NodeTimeline[];
  /** Optional: per-container locality over time (see ContainerTimeline). */
  readonly containerTimeline?: readonly ContainerTimeline[];
  /** Optional: the predicted traffic per node NIC and per link, at its peak (T504 compares it with the capacity). */
  readonly traffic?: TrafficResult;
}

/** Predicted traffic at its peak (the timeline bucket with the most), in bytes per second. */
export interface TrafficResult {
  /** Nodes whose NIC carries anything. */
  readonly nodes: readonly NodeTraffic[];
  /** Racks whose nodes exchange anything, and the fabric (`link` "fabric") when anything crosses racks. */
  readonly links: readonly LinkTraffic[];
}

export interface NodeTraffic {
  readonly ref: string;
  /** The node's `nic`, bytes per second (each direction). */
  readonly nic: number;
  /** Peak bytes per second out of and into the NIC, and the start (seconds) of the bucket of the higher one. */
  readonly peakOut: number;
  readonly peakIn: number;
  readonly peakAt: number;
  /** Bytes through the NIC over the run, both directions. */
  readonly bytes: number;
}

export interface LinkTraffic {
  /** The rack's name, or "fabric". */
  readonly link: string;
  /** Its `bandwidth`, bytes per second. */
  readonly bandwidth: number;
  /** Peak bytes per second, the start (seconds) of its bucket, and peak / bandwidth (over 1: saturated, the transfers on it are slowed). */
  readonly peak: number;
  readonly peakAt: number;
  readonly utilisation: number;
  /** Bytes over the run. */
  readonly bytes: number;
}

/**
 * True when nothing ran in the run's steady state: no container with replicas on an SDS, a rack
 * or a node set (an empty file, containers without a target, or every one scaled to 0). Its
 * summary figures then describe nothing; say so instead of showing them.
 */
export function simulatedNothing(r: Pick<SimulationResult, 'containers'>): boolean {
  return r.containers.every((c) => c.locality === null);
}

/** Why a replica no longer fits after the headroom loss (`headroom.short[].cause`): the container's nodes are all lost (`pinned`), `spread` needs a node (rack) each, no node left is large enough (`node-size`), the colocate peer's nodes are full, the NICs left cannot carry its `network` request, or plain capacity. */
export type ShortCause = 'pinned' | 'spread' | 'node-size' | 'colocate' | 'network' | 'capacity';

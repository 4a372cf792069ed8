import type { TickContext } from '../context';

/** What one access from a slot's node into a band does, in expectation (per access). */
export interface Outcome {
  /** Chance that it is served locally. */
  local: number;
  /** Seconds of stall. */
  stall: number;
  /** Of which spent moving or copying chunks. */
  moveStall: number;
  /** Chunk moves (the chunk comes to the accessing node). */
  captures: number;
  /** Read copies made. */
  copies: number;
  /** Accesses served from another node without moving anything. */
  remotes: number;
  /** Bytes over the interconnect. */
  bytes: number;
}

/** What a real access under `--exact` that is not local does (exact.ts). */
export const EXACT_REMOTE = 0;
/** The chunk comes to the accessing node. */
export const EXACT_CAPTURE = 1;
/** The accessing node gets a read copy. */
export const EXACT_COPY = 2;
/** The vCPU moves to the chunk's owner. */
export const EXACT_MOVE_VCPU = 3;

/**
 * The facts `exactAction` decides on: one real access from node x (local index) to a chunk of
 * band `band` (offset `bandOffset` in region `region`) owned by node o (never x, never -1).
 */
export interface ExactMiss {
  region: number;
  bandOffset: number;
  band: number;
  x: number;
  o: number;
  write: boolean;
  /** x has room for one more chunk. */
  room: boolean;
  /** The region is pinned to its node (an io buffer). */
  pinned: boolean;
}

export function newOutcome(): Outcome {
  return { local: 0, stall: 0, moveStall: 0, captures: 0, copies: 0, remotes: 0, bytes: 0 };
}

/**
 * One mobility policy (docs/simulator.md, "Policies"). The engine calls, every tick:
 * `plan` once (decisions from the state and the touch rates), then for every band `prepare`
 * (the tick's closed form: how its chunks move given how often each node touches them),
 * `outcome` for each node that accesses it (what one access costs, in expectation), and
 * `commit` (the band's state at the end of the tick). vCPU moves on a stall are the engine's
 * (see `vcpuMoves`), with the policy's `vcpuGain` when it decides them.
 */
export interface PolicyModule {
  /** The hypervisor's work stealing runs (not under `vcpu`: its vCPUs follow their memory on every stall). */
  readonly balances: boolean;
  /**
   * When a stall moves the vCPU: never; on every stall (`vcpu`, whose vCPUs then hop between
   * the nodes of their memory); or when the policy's gain says it pays (`cost`).
   */
  readonly vcpuMoves: 'never' | 'always' | 'when-it-pays';
  /** Chunks can move or be copied (the band phase then iterates its fixed point). */
  readonly movesChunks: boolean;
  plan(ctx: TickContext): void;
  prepare(ctx: TickContext, band: number): void;
  outcome(ctx: TickContext, band: number, slot: number, write: boolean, out: Outcome): void;
  commit(ctx: TickContext, band: number): void;
  /** `--exact`: what one real access that is not local does (EXACT_REMOTE, EXACT_CAPTURE, EXACT_COPY or EXACT_MOVE_VCPU). */
  exactAction(ctx: TickContext, miss: ExactMiss): number;
}

import type { Model } from '../model/types';

/**
 * What moving things costs, in seconds of stall, between two nodes of an SDS (local indices).
 * Latency and bandwidth are the rack's for two nodes of one rack and the fabric's across
 * racks. The fixed overheads stand for what a move costs besides the transfer (the
 * hypervisor's work, a TLB shootdown, the cold caches a moved vCPU finds): the SDS's
 * `overhead vcpu D chunk D`, default 20us and 5us.
 */

/** Real (cache-missing) memory accesses one busy vCPU issues per second of computing. */
export const ACCESSES_PER_VCPU_SECOND = 1e6;
/** Bytes of one remote access without moving anything (a cache line). */
export const LINE_BYTES = 64;
/** Bytes of processor state moved with a vCPU. */
export const VCPU_STATE_BYTES = 6400;
export const DEFAULT_VCPU_OVERHEAD = 20e-6;
export const DEFAULT_CHUNK_OVERHEAD = 5e-6;

export class LinkCosts {
  private readonly rackOf: Int32Array;
  private readonly rackLatency: Float64Array;
  private readonly rackBandwidth: Float64Array;
  private readonly fabricLatency: number;
  private readonly fabricBandwidth: number;

  /**
   * @param nodeIds model node ids of the SDS's local nodes
   * @param chunkBytes bytes of one chunk (the SDS's granularity)
   */
  constructor(model: Model, nodeIds: Int32Array, readonly chunkBytes: number, readonly vcpuOverhead: number, readonly chunkOverhead: number) {
    this.rackOf = Int32Array.from(nodeIds, (id) => model.nodes[id].rack);
    this.rackLatency = Float64Array.from(model.racks, (r) => r.latency);
    this.rackBandwidth = Float64Array.from(model.racks, (r) => r.bandwidth);
    this.fabricLatency = model.fabric.latency;
    this.fabricBandwidth = model.fabric.bandwidth;
  }

  latency(from: number, to: number): number {
    const r = this.rackOf[from];
    return r === this.rackOf[to] ? this.rackLatency[r] : this.fabricLatency;
  }

  bandwidth(from: number, to: number): number {
    const r = this.rackOf[from];
    return r === this.rackOf[to] ? this.rackBandwidth[r] : this.fabricBandwidth;
  }

  /** One access served from another node without moving anything. */
  remote(from: number, to: number): number {
    return this.latency(from, to) + LINE_BYTES / this.bandwidth(from, to);
  }

  /** Moving (or copying) one chunk between the two nodes. */
  chunkMove(from: number, to: number): number {
    return this.chunkOverhead + this.latency(from, to) + this.chunkBytes / this.bandwidth(from, to);
  }

  /** Moving one vCPU between the two nodes. */
  vcpuMove(from: number, to: number): number {
    return this.vcpuOverhead + this.latency(from, to) + VCPU_STATE_BYTES / this.bandwidth(from, to);
  }

  /** One access from local node `from` to a node outside the SDS (model node id, or -1: across the fabric). */
  outside(from: number, rack: number): number {
    const same = rack >= 0 && rack === this.rackOf[from];
    const lat = same ? this.rackLatency[rack] : this.fabricLatency;
    const bw = same ? this.rackBandwidth[rack] : this.fabricBandwidth;
    return lat + LINE_BYTES / bw;
  }
}

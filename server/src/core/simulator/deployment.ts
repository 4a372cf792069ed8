import { VCPU_STATE_BYTES } from './costs';
import { REGION_IO, REGION_SHARED, type SdsWorld } from './world';

/**
 * Where memory and vCPUs go when nothing but the guest OS decides: vCPUs dealt round-robin
 * over the SDS's nodes weighted by usable cores, memory where it is first touched (spilling to
 * the node with the most free memory), and what a failure or a scale event does. Everything
 * here works on chunk counts per band and node (the SlotTable), so the sampled estimator and
 * `--exact` share it; exact mode then gives the counts to particular chunks.
 */

/** Traffic that a deployment change caused (evacuation, new replicas), for the statistics. */
export interface MoveTally {
  vcpuMoves: number;
  chunkMoves: number;
  bytes: number;
  /** The transfers, three numbers each: from and to (local nodes), bytes. */
  flows: number[];
}

export function newTally(): MoveTally {
  return { vcpuMoves: 0, chunkMoves: 0, bytes: 0, flows: [] };
}

/** The alive node with the most free memory (not `exclude`), or -1. */
export function mostFree(world: SdsWorld, exclude = -1): number {
  let best = -1;
  let free = -Infinity;
  for (let n = 0; n < world.nodeCount; n++) {
    if (n === exclude || !world.alive[n]) continue;
    const f = world.memCap[n] - world.memUsed[n];
    if (f > free) { free = f; best = n; }
  }
  return best;
}

/** The alive node where one more vCPU is least crowded (vCPUs over usable cores), or -1. */
export function leastLoaded(world: SdsWorld, exclude = -1): number {
  let best = -1;
  let load = Infinity;
  for (let n = 0; n < world.nodeCount; n++) {
    if (n === exclude || !world.alive[n] || world.usable[n] <= 0) continue;
    const l = (world.vcpusOn[n] + 1) / world.usable[n];
    if (l < load) { load = l; best = n; }
  }
  return best;
}

/** Adds `chunks` of band `band` (local band index) of the replica's region on `node`. */
export function addChunks(world: SdsWorld, replica: number, band: number, node: number, chunks: number): void {
  if (chunks === 0) return;
  const s = world.slots.ensure(replica, node);
  world.slots.own[world.slots.cell(replica, band, s)] += chunks;
  world.memUsed[node] += chunks * world.chunkBytes;
}

/**
 * First touch of `chunks` chunks of one band by a vCPU on `node`: there as far as it has room,
 * the rest on the nodes with the most free memory. Returns false when the SDS had no room left
 * (the remainder is then not placed: the caller reports it).
 */
export function touchChunks(world: SdsWorld, replica: number, band: number, node: number, chunks: number): boolean {
  let left = chunks;
  let at = node >= 0 && world.alive[node] ? node : mostFree(world);
  for (let guard = 0; left > 1e-9 && guard <= world.nodeCount + 1; guard++) {
    if (at < 0) return false;
    const room = Math.max(0, (world.memCap[at] - world.memUsed[at]) / world.chunkBytes);
    const whole = Number.isInteger(left) ? Math.floor(room + 1e-9) : room;
    const take = Math.min(left, whole);
    if (take > 0) { addChunks(world, replica, band, at, take); left -= take; }
    if (left <= 1e-9) return true;
    const next = mostFree(world);
    if (next === at || next < 0 || world.memCap[next] - world.memUsed[next] < (Number.isInteger(left) ? world.chunkBytes : 1)) return false;
    at = next;
  }
  return left <= 1e-9;
}

/** Smooth weighted round-robin over alive nodes, weighted by usable cores (declaration order breaks ties). */
export class Dealer {
  private readonly nodes: number[];
  private readonly weights: number[];
  private readonly current: number[];
  private readonly total: number;
  /** Equal whole weights deal plain round-robin: O(1) a vCPU instead of O(nodes). */
  private readonly even: boolean;
  private turn = 0;

  constructor(world: SdsWorld) {
    this.nodes = [];
    for (let n = 0; n < world.nodeCount; n++) if (world.alive[n]) this.nodes.push(n);
    this.weights = this.nodes.map((n) => world.usable[n]);
    this.current = this.nodes.map(() => 0);
    this.total = this.weights.reduce((a, b) => a + b, 0);
    this.even = this.nodes.length > 0 && this.weights.every((x) => x === this.weights[0] && Number.isInteger(x));
  }

  next(): number {
    if (this.nodes.length === 0) return -1;
    if (this.total <= 0) return this.nodes[0];
    if (this.even) return this.nodes[this.turn++ % this.nodes.length];
    let best = 0;
    for (let i = 0; i < this.nodes.length; i++) {
      this.current[i] += this.weights[i];
      if (this.current[i] > this.current[best]) best = i;
    }
    this.current[best] -= this.total;
    return this.nodes[best];
  }
}

function placeVcpu(world: SdsWorld, vcpu: number, node: number): void {
  world.vActive[vcpu] = 1;
  world.vNode[vcpu] = node;
  if (node >= 0) world.vcpusOn[node]++;
}

/**
 * Starts `replica` with `vcpus` vCPUs on the given nodes (or the least loaded ones): its
 * private chunks are first touched by its vCPUs in turn (rank j by vCPU j mod vcpus), then its
 * untouched memory is allocated on its first vCPU's node. Returns false when memory ran out.
 */
export function startReplica(world: SdsWorld, replica: number, vcpus: number, nodes: ArrayLike<number> | null): boolean {
  world.rActive[replica] = 1;
  const v0 = world.rVcpu0[replica];
  for (let j = 0; j < vcpus; j++) placeVcpu(world, v0 + j, nodes?.[j] ?? leastLoaded(world));
  let ok = true;
  const reg = world.rPrivate[replica];
  const b0 = world.regBand0[reg];
  for (let b = 0; b < world.regBands[reg]; b++) {
    const lo = world.bandStart[b0 + b];
    const hi = lo + world.bandSize[b0 + b];
    for (let j = 0; j < vcpus; j++) {
      // ranks in [lo, hi) with rank % vcpus === j
      const count = countResidue(lo, hi, vcpus, j);
      if (count > 0 && !touchChunks(world, reg, b, world.vNode[v0 + j], count)) ok = false;
    }
  }
  const bulk = world.rBulk[replica];
  if (world.regChunks[bulk] > 0 && !touchChunks(world, bulk, 0, world.vNode[v0], world.regChunks[bulk])) ok = false;
  return ok;
}

/** Integers i in [lo, hi) with i mod m === j. */
function countResidue(lo: number, hi: number, modulus: number, residue: number): number {
  const upTo = (value: number): number => (value <= residue ? 0 : Math.floor((value - residue - 1) / modulus) + 1);
  return upTo(hi) - upTo(lo);
}

/** Stops `replica`: its vCPUs and memory go away. */
export function stopReplica(world: SdsWorld, replica: number): void {
  world.rActive[replica] = 0;
  const c = world.rContainer[replica];
  for (let j = 0; j < world.cVcpusMax[c]; j++) {
    const v = world.rVcpu0[replica] + j;
    if (world.vActive[v] && world.vNode[v] >= 0) world.vcpusOn[world.vNode[v]]--;
    world.vActive[v] = 0;
    world.vNode[v] = -1;
  }
  for (const reg of [world.rPrivate[replica], world.rBulk[replica]]) clearRegion(world, reg);
}

function clearRegion(world: SdsWorld, reg: number): void {
  const t = world.slots;
  for (let s = 0; s < t.count[reg]; s++) {
    const n = t.nodeOf(reg, s);
    for (let b = 0; b < world.regBands[reg]; b++) {
      const cell = t.cell(reg, b, s);
      world.memUsed[n] -= (t.own[cell] + t.cop[cell]) * world.chunkBytes;
      t.own[cell] = 0;
      t.cop[cell] = 0;
    }
  }
}

/** The initial deployment of the SDS: replicas in declaration order, then shared regions, then io buffers. Returns false when memory ran out. */
export function deploy(world: SdsWorld): boolean {
  // every vCPU dealt first (containers and replicas in declaration order), then memory by first touch
  const dealer = new Dealer(world);
  const dealt = new Int32Array(world.vcpuCount);
  for (let c = 0; c < world.containerCount; c++) {
    for (let i = 0; i < world.cReplicas[c]; i++) {
      const v0 = world.rVcpu0[world.cFirstReplica[c] + i];
      for (let j = 0; j < world.cVcpus[c]; j++) dealt[v0 + j] = dealer.next();
    }
  }
  let ok = true;
  for (let c = 0; c < world.containerCount; c++) {
    for (let i = 0; i < world.cReplicas[c]; i++) {
      const r = world.cFirstReplica[c] + i;
      if (!startReplica(world, r, world.cVcpus[c], dealt.subarray(world.rVcpu0[r], world.rVcpu0[r] + world.cVcpus[c]))) ok = false;
    }
  }
  for (let reg = 0; reg < world.regionCount; reg++) {
    if (world.regKind[reg] === REGION_SHARED) {
      const c = world.regSide0[reg];
      const v0 = world.cReplicas[c] > 0 ? world.rVcpu0[world.cFirstReplica[c]] : -1;
      const n0 = v0 >= 0 ? world.vNode[v0] : -1;
      for (let b = 0; b < world.regBands[reg]; b++) if (!touchChunks(world, reg, b, n0, world.bandSize[world.regBand0[reg] + b])) ok = false;
    } else if (world.regKind[reg] === REGION_IO) {
      addChunks(world, reg, 0, world.regPinned[reg], world.regChunks[reg]);
    }
  }
  return ok;
}

/** Memory used over capacity anywhere (a state that cannot exist)? */
export function overCommitted(world: SdsWorld): boolean {
  for (let n = 0; n < world.nodeCount; n++) if (world.alive[n] && world.memUsed[n] > world.memCap[n] * (1 + 1e-9) + 1) return true;
  return false;
}

/** Bytes that node `failed` holds and that would have to move if it failed (owned chunks and untouched memory; copies are dropped). */
export function bytesToEvacuate(world: SdsWorld, failed: number): number {
  const t = world.slots;
  let chunks = 0;
  for (let reg = 0; reg < world.regionCount; reg++) {
    const s = t.slotOf(reg, failed);
    if (s < 0) continue;
    for (let b = 0; b < world.regBands[reg]; b++) chunks += t.own[t.cell(reg, b, s)];
  }
  return chunks * world.chunkBytes;
}

/** Free memory of the alive nodes other than `exclude`. */
export function freeMemory(world: SdsWorld, exclude = -1): number {
  let free = 0;
  for (let n = 0; n < world.nodeCount; n++) if (n !== exclude && world.alive[n]) free += Math.max(0, world.memCap[n] - world.memUsed[n]);
  return free;
}

/**
 * Node f fails: its vCPUs go to the least loaded survivors; its read copies are dropped; the
 * chunks it owned and its untouched memory go to the survivors, each to the one with the most
 * free memory at that point (water-filling). When the survivors cannot hold it, nothing changes
 * and false is returned: the event is not absorbed and the run stops before it.
 */
export function evacuate(world: SdsWorld, failed: number, tally: MoveTally): boolean {
  const bytes = bytesToEvacuate(world, failed);
  if (bytes > freeMemory(world, failed) + 1) return false;
  world.alive[failed] = 0;
  for (let v = 0; v < world.vcpuCount; v++) {
    if (!world.vActive[v] || world.vNode[v] !== failed) continue;
    world.vcpusOn[failed]--;
    const n = leastLoaded(world, failed);
    world.vNode[v] = n;
    if (n >= 0) { world.vcpusOn[n]++; tally.vcpuMoves++; tally.bytes += VCPU_STATE_BYTES; tally.flows.push(failed, n, VCPU_STATE_BYTES); }
  }
  const share = waterFill(world, failed, bytes);
  const t = world.slots;
  for (let reg = 0; reg < world.regionCount; reg++) {
    const s = t.slotOf(reg, failed);
    if (s < 0) continue;
    for (let b = 0; b < world.regBands[reg]; b++) {
      const cell = t.cell(reg, b, s);
      t.cop[cell] = 0;
      const chunks = t.own[cell];
      if (chunks <= 0) continue;
      t.own[cell] = 0;
      tally.chunkMoves += chunks;
      tally.bytes += chunks * world.chunkBytes;
      const parts = split(chunks, share.weights);
      for (let i = 0; i < parts.length; i++) {
        if (parts[i] <= 0) continue;
        addChunks(world, reg, b, share.nodes[i], parts[i]);
        tally.flows.push(failed, share.nodes[i], parts[i] * world.chunkBytes);
      }
    }
    if (world.regPinned[reg] === failed) world.regPinned[reg] = -1;
  }
  world.memUsed[failed] = 0;
  world.vcpusOn[failed] = 0;
  return true;
}

/** How `bytes` spread over the alive nodes (not f) when each piece goes to the node with the most free memory. */
function waterFill(world: SdsWorld, failed: number, bytes: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const free: number[] = [];
  for (let n = 0; n < world.nodeCount; n++) if (n !== failed && world.alive[n]) { nodes.push(n); free.push(Math.max(0, world.memCap[n] - world.memUsed[n])); }
  const totalFree = free.reduce((a, b) => a + b, 0);
  const take = Math.min(bytes, totalFree);
  // level L such that sum(max(0, free - L)) = take
  const sorted = [...free].sort((a, b) => b - a);
  let level = 0;
  let acc = 0;
  for (let i = 0; i < sorted.length; i++) {
    acc += sorted[i];
    const next = i + 1 < sorted.length ? sorted[i + 1] : 0;
    const l = (acc - take) / (i + 1);
    if (l >= next) { level = Math.max(0, l); break; }
  }
  const weights = free.map((x) => Math.max(0, x - level));
  return { nodes, weights: weights.some((x) => x > 0) ? weights : free.map(() => 1) };
}

/** Splits `count` in proportion to weights: whole parts (largest remainder) when count is whole. */
function split(count: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((x) => (count * x) / sum);
  if (!Number.isInteger(count)) return exact;
  const parts = exact.map((x) => Math.floor(x));
  let left = count - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0 && k < order.length; k++, left--) parts[order[k][1]]++;
  return parts;
}

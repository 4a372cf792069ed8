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
}

export function newTally(): MoveTally {
  return { vcpuMoves: 0, chunkMoves: 0, bytes: 0 };
}

/** The alive node with the most free memory (not `exclude`), or -1. */
export function mostFree(w: SdsWorld, exclude = -1): number {
  let best = -1;
  let free = -Infinity;
  for (let n = 0; n < w.nodeCount; n++) {
    if (n === exclude || !w.alive[n]) continue;
    const f = w.memCap[n] - w.memUsed[n];
    if (f > free) { free = f; best = n; }
  }
  return best;
}

/** The alive node where one more vCPU is least crowded (vCPUs over usable cores), or -1. */
export function leastLoaded(w: SdsWorld, exclude = -1): number {
  let best = -1;
  let load = Infinity;
  for (let n = 0; n < w.nodeCount; n++) {
    if (n === exclude || !w.alive[n] || w.usable[n] <= 0) continue;
    const l = (w.vcpusOn[n] + 1) / w.usable[n];
    if (l < load) { load = l; best = n; }
  }
  return best;
}

/** Adds `chunks` of band `band` (local band index) of region r on node n. */
export function addChunks(w: SdsWorld, r: number, band: number, n: number, chunks: number): void {
  if (chunks === 0) return;
  const s = w.slots.ensure(r, n);
  w.slots.own[w.slots.cell(r, band, s)] += chunks;
  w.memUsed[n] += chunks * w.chunkBytes;
}

/**
 * First touch of `chunks` chunks of one band by a vCPU on node n: on n as far as it has room,
 * the rest on the nodes with the most free memory. Returns false when the SDS had no room left
 * (the remainder is then not placed: the caller reports it).
 */
export function touchChunks(w: SdsWorld, r: number, band: number, n: number, chunks: number): boolean {
  let left = chunks;
  let at = n >= 0 && w.alive[n] ? n : mostFree(w);
  for (let guard = 0; left > 1e-9 && guard <= w.nodeCount + 1; guard++) {
    if (at < 0) return false;
    const room = Math.max(0, (w.memCap[at] - w.memUsed[at]) / w.chunkBytes);
    const whole = Number.isInteger(left) ? Math.floor(room + 1e-9) : room;
    const take = Math.min(left, whole);
    if (take > 0) { addChunks(w, r, band, at, take); left -= take; }
    if (left <= 1e-9) return true;
    const next = mostFree(w);
    if (next === at || next < 0 || w.memCap[next] - w.memUsed[next] < (Number.isInteger(left) ? w.chunkBytes : 1)) return false;
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

  constructor(w: SdsWorld) {
    this.nodes = [];
    for (let n = 0; n < w.nodeCount; n++) if (w.alive[n]) this.nodes.push(n);
    this.weights = this.nodes.map((n) => w.usable[n]);
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

function placeVcpu(w: SdsWorld, v: number, n: number): void {
  w.vActive[v] = 1;
  w.vNode[v] = n;
  if (n >= 0) w.vcpusOn[n]++;
}

/**
 * Starts replica r with `vcpus` vCPUs on the given nodes (or the least loaded ones): its
 * private chunks are first touched by its vCPUs in turn (rank j by vCPU j mod vcpus), then its
 * untouched memory is allocated on its first vCPU's node. Returns false when memory ran out.
 */
export function startReplica(w: SdsWorld, r: number, vcpus: number, nodes: ArrayLike<number> | null): boolean {
  w.rActive[r] = 1;
  const v0 = w.rVcpu0[r];
  for (let j = 0; j < vcpus; j++) placeVcpu(w, v0 + j, nodes?.[j] ?? leastLoaded(w));
  let ok = true;
  const reg = w.rPrivate[r];
  const b0 = w.regBand0[reg];
  for (let b = 0; b < w.regBands[reg]; b++) {
    const lo = w.bandStart[b0 + b];
    const hi = lo + w.bandSize[b0 + b];
    for (let j = 0; j < vcpus; j++) {
      // ranks in [lo, hi) with rank % vcpus === j
      const count = countResidue(lo, hi, vcpus, j);
      if (count > 0 && !touchChunks(w, reg, b, w.vNode[v0 + j], count)) ok = false;
    }
  }
  const bulk = w.rBulk[r];
  if (w.regChunks[bulk] > 0 && !touchChunks(w, bulk, 0, w.vNode[v0], w.regChunks[bulk])) ok = false;
  return ok;
}

/** Integers i in [lo, hi) with i mod m === j. */
function countResidue(lo: number, hi: number, m: number, j: number): number {
  const upTo = (x: number): number => (x <= j ? 0 : Math.floor((x - j - 1) / m) + 1);
  return upTo(hi) - upTo(lo);
}

/** Stops replica r: its vCPUs and memory go away. */
export function stopReplica(w: SdsWorld, r: number): void {
  w.rActive[r] = 0;
  const c = w.rContainer[r];
  for (let j = 0; j < w.cVcpusMax[c]; j++) {
    const v = w.rVcpu0[r] + j;
    if (w.vActive[v] && w.vNode[v] >= 0) w.vcpusOn[w.vNode[v]]--;
    w.vActive[v] = 0;
    w.vNode[v] = -1;
  }
  for (const reg of [w.rPrivate[r], w.rBulk[r]]) clearRegion(w, reg);
}

function clearRegion(w: SdsWorld, reg: number): void {
  const t = w.slots;
  for (let s = 0; s < t.count[reg]; s++) {
    const n = t.nodeOf(reg, s);
    for (let b = 0; b < w.regBands[reg]; b++) {
      const cell = t.cell(reg, b, s);
      w.memUsed[n] -= (t.own[cell] + t.cop[cell]) * w.chunkBytes;
      t.own[cell] = 0;
      t.cop[cell] = 0;
    }
  }
}

/** The initial deployment of the SDS: replicas in declaration order, then shared regions, then io buffers. Returns false when memory ran out. */
export function deploy(w: SdsWorld): boolean {
  // every vCPU dealt first (containers and replicas in declaration order), then memory by first touch
  const dealer = new Dealer(w);
  const dealt = new Int32Array(w.vcpuCount);
  for (let c = 0; c < w.containerCount; c++) {
    for (let i = 0; i < w.cReplicas[c]; i++) {
      const v0 = w.rVcpu0[w.cFirstReplica[c] + i];
      for (let j = 0; j < w.cVcpus[c]; j++) dealt[v0 + j] = dealer.next();
    }
  }
  let ok = true;
  for (let c = 0; c < w.containerCount; c++) {
    for (let i = 0; i < w.cReplicas[c]; i++) {
      const r = w.cFirstReplica[c] + i;
      if (!startReplica(w, r, w.cVcpus[c], dealt.subarray(w.rVcpu0[r], w.rVcpu0[r] + w.cVcpus[c]))) ok = false;
    }
  }
  for (let reg = 0; reg < w.regionCount; reg++) {
    if (w.regKind[reg] === REGION_SHARED) {
      const c = w.regSide0[reg];
      const v0 = w.cReplicas[c] > 0 ? w.rVcpu0[w.cFirstReplica[c]] : -1;
      const n0 = v0 >= 0 ? w.vNode[v0] : -1;
      for (let b = 0; b < w.regBands[reg]; b++) if (!touchChunks(w, reg, b, n0, w.bandSize[w.regBand0[reg] + b])) ok = false;
    } else if (w.regKind[reg] === REGION_IO) {
      addChunks(w, reg, 0, w.regPinned[reg], w.regChunks[reg]);
    }
  }
  return ok;
}

/** Memory used over capacity anywhere (a state that cannot exist)? */
export function overCommitted(w: SdsWorld): boolean {
  for (let n = 0; n < w.nodeCount; n++) if (w.alive[n] && w.memUsed[n] > w.memCap[n] * (1 + 1e-9) + 1) return true;
  return false;
}

/** Bytes that node f holds and that would have to move if it failed (owned chunks and untouched memory; copies are dropped). */
export function bytesToEvacuate(w: SdsWorld, f: number): number {
  const t = w.slots;
  let chunks = 0;
  for (let reg = 0; reg < w.regionCount; reg++) {
    const s = t.slotOf(reg, f);
    if (s < 0) continue;
    for (let b = 0; b < w.regBands[reg]; b++) chunks += t.own[t.cell(reg, b, s)];
  }
  return chunks * w.chunkBytes;
}

/** Free memory of the alive nodes other than `exclude`. */
export function freeMemory(w: SdsWorld, exclude = -1): number {
  let free = 0;
  for (let n = 0; n < w.nodeCount; n++) if (n !== exclude && w.alive[n]) free += Math.max(0, w.memCap[n] - w.memUsed[n]);
  return free;
}

/**
 * Node f fails: its vCPUs go to the least loaded survivors; its read copies are dropped; the
 * chunks it owned and its untouched memory go to the survivors, each to the one with the most
 * free memory at that point (water-filling). When the survivors cannot hold it, nothing changes
 * and false is returned: the event is not absorbed and the run stops before it.
 */
export function evacuate(w: SdsWorld, f: number, tally: MoveTally): boolean {
  const bytes = bytesToEvacuate(w, f);
  if (bytes > freeMemory(w, f) + 1) return false;
  w.alive[f] = 0;
  for (let v = 0; v < w.vcpuCount; v++) {
    if (!w.vActive[v] || w.vNode[v] !== f) continue;
    w.vcpusOn[f]--;
    const n = leastLoaded(w, f);
    w.vNode[v] = n;
    if (n >= 0) { w.vcpusOn[n]++; tally.vcpuMoves++; tally.bytes += VCPU_STATE_BYTES; }
  }
  const share = waterFill(w, f, bytes);
  const t = w.slots;
  for (let reg = 0; reg < w.regionCount; reg++) {
    const s = t.slotOf(reg, f);
    if (s < 0) continue;
    for (let b = 0; b < w.regBands[reg]; b++) {
      const cell = t.cell(reg, b, s);
      t.cop[cell] = 0;
      const chunks = t.own[cell];
      if (chunks <= 0) continue;
      t.own[cell] = 0;
      tally.chunkMoves += chunks;
      tally.bytes += chunks * w.chunkBytes;
      const parts = split(chunks, share.weights);
      for (let i = 0; i < parts.length; i++) if (parts[i] > 0) addChunks(w, reg, b, share.nodes[i], parts[i]);
    }
    if (w.regPinned[reg] === f) w.regPinned[reg] = -1;
  }
  w.memUsed[f] = 0;
  w.vcpusOn[f] = 0;
  return true;
}

/** How `bytes` spread over the alive nodes (not f) when each piece goes to the node with the most free memory. */
function waterFill(w: SdsWorld, f: number, bytes: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const free: number[] = [];
  for (let n = 0; n < w.nodeCount; n++) if (n !== f && w.alive[n]) { nodes.push(n); free.push(Math.max(0, w.memCap[n] - w.memUsed[n])); }
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

import type { Recorder } from './stats';

/*
 * Per-node and per-link byte accounting (docs/simulator.md, "Traffic and saturated links").
 * Every remote access, chunk move, copy and vCPU move puts its bytes on the sending node's NIC
 * (outgoing), the receiving node's NIC (incoming) and the link between them (the rack's for
 * two nodes of one rack, the fabric across racks), in the bucket it happens in. Nodes are
 * model node ids, containers model container indexes. The bytes are also kept per container
 * and link, so that a saturated link can stretch the transfers of those that use it (saturation.ts).
 *
 * A tick that straddles two buckets (ticks of 20 ms, buckets of 50 ms) gives each its share of
 * the tick's traffic (Recorder.beginTick), so that a bucket's bytes are those of its own time
 * and its rate does not alternate with the tick: without it a bucket holding 3 ticks of 20 ms
 * would count 60 ms of traffic against 50 ms of capacity.
 */

/** Adds `value` at `arr[b * stride + index]`, shared with the neighbouring buckets when b is the straddling tick's. */
function add(rec: Recorder, arr: Float64Array, stride: number, b: number, index: number, value: number): void {
  if (b !== rec.splitBucket) { arr[b * stride + index] += value; return; }
  const lo = rec.splitLo;
  const hi = rec.splitHi;
  arr[b * stride + index] += value * (1 - lo - hi);
  if (lo > 0) arr[(b - 1) * stride + index] += value * lo;
  if (hi > 0) arr[(b + 1) * stride + index] += value * hi;
}

/** `bytes` from node `from` to node `to` (model ids), caused by container `c`. */
export function flow(rec: Recorder, b: number, c: number, from: number, to: number, bytes: number): void {
  const link = rec.linkOf(from, to);
  add(rec, rec.nodeOut, rec.nodes, b, from, bytes);
  add(rec, rec.nodeIn, rec.nodes, b, to, bytes);
  onLink(rec, b, c, link, bytes);
  rec.cNodeBytes.add(c, from, bytes);
  rec.cNodeBytes.add(c, to, bytes);
}

/** One end of a transfer whose other end is known only by its link: `bytes` into (`incoming`) or out of node `node`. */
export function nodeEnd(rec: Recorder, b: number, c: number, node: number, bytes: number, incoming: boolean): void {
  add(rec, incoming ? rec.nodeIn : rec.nodeOut, rec.nodes, b, node, bytes);
  rec.cNodeBytes.add(c, node, bytes);
}

/**
 * `bytes` an event moves at one instant from node `from` to node `to` (model ids): the model
 * gives them no duration, so they count in the totals but in no bucket's rate (T504 does not
 * judge them, saturation does not stretch them).
 */
export function burst(rec: Recorder, from: number, to: number, bytes: number): void {
  rec.burstNode[from] += bytes;
  rec.burstNode[to] += bytes;
  rec.burstLink[rec.linkOf(from, to)] += bytes;
}

/** `bytes` of container `c` on link `link` (a rack's index, or `rec.links - 1`: the fabric). */
export function onLink(rec: Recorder, b: number, c: number, link: number, bytes: number): void {
  add(rec, rec.linkBytes, rec.links, b, link, bytes);
  if (bytes !== 0) add(rec, rec.cLinkBytes.row(c, link), 1, b, 0, bytes);
}

import type { Recorder } from './stats';

/*
 * Per-node and per-link byte accounting (docs/simulator.md, "Traffic and saturated links").
 * Every remote access, chunk move, copy and vCPU move puts its bytes on the sending node's NIC
 * (outgoing), the receiving node's NIC (incoming) and the link between them (the rack's for
 * two nodes of one rack, the fabric across racks), in the bucket it happens in. Nodes are
 * model node ids, containers model container indexes. The stall a transfer costs is kept per
 * container and link, so that a saturated link can stretch it (report.ts).
 */

/** `bytes` from node `from` to node `to` (model ids), caused by container `c`, costing it `stall` seconds. */
export function flow(rec: Recorder, b: number, c: number, from: number, to: number, bytes: number, stall: number): void {
  const link = rec.linkOf(from, to);
  rec.nodeOut[b * rec.nodes + from] += bytes;
  rec.nodeIn[b * rec.nodes + to] += bytes;
  rec.linkBytes[b * rec.links + link] += bytes;
  const i = (b * rec.containers + c) * rec.links + link;
  rec.cLinkBytes[i] += bytes;
  rec.cLinkStall[i] += stall;
  rec.cNodeBytes[c * rec.nodes + from] += bytes;
  rec.cNodeBytes[c * rec.nodes + to] += bytes;
}

/** One end of a transfer whose other end is known only by its link: `bytes` into (`incoming`) or out of node `node`. */
export function nodeEnd(rec: Recorder, b: number, c: number, node: number, bytes: number, incoming: boolean): void {
  if (incoming) rec.nodeIn[b * rec.nodes + node] += bytes;
  else rec.nodeOut[b * rec.nodes + node] += bytes;
  rec.cNodeBytes[c * rec.nodes + node] += bytes;
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

/** `bytes` and `stall` of container `c` on link `link` (a rack's index, or `rec.links - 1`: the fabric). */
export function onLink(rec: Recorder, b: number, c: number, link: number, bytes: number, stall: number): void {
  rec.linkBytes[b * rec.links + link] += bytes;
  const i = (b * rec.containers + c) * rec.links + link;
  rec.cLinkBytes[i] += bytes;
  rec.cLinkStall[i] += stall;
}

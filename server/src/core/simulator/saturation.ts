import { DIAGNOSTIC_SEVERITY } from '../diagnostics';
import type { Location, LineRange } from '../text';
import type { Model } from '../model/types';
import type { LinkTraffic, NodeTraffic, SimulationDiagnostic, TrafficResult } from '../result';
import { round } from './format';
import type { Recorder } from './stats';

/*
 * Saturated links and T504 (docs/simulator.md, "Traffic and saturated links"). In each timeline
 * bucket a link's utilisation is u = offered bytes / (seconds covered x bandwidth). Where u > 1
 * the link is saturated: its transfers queue, and each byte on it takes u times as long to get
 * through, so the stall of every access and move that used it in that bucket is multiplied by
 * u. Below capacity nothing changes. Node NICs are reported (T504) but do not slow anything.
 */

/** Bytes per second a link (rack index, or `racks`: the fabric) carries at most. */
export function linkCapacity(model: Model, link: number): number {
  return link < model.racks.length ? model.racks[link].bandwidth : model.fabric.bandwidth;
}

/** Simulated seconds a peak (and a utilisation) is measured over at least: a rate over a few buckets, so that sampling noise (`vcpu`, `--exact`) in one short bucket does not make it. */
export const PEAK_WINDOW = 0.5;

function linkName(model: Model, link: number): string {
  return link < model.racks.length ? model.racks[link].name : 'fabric';
}

/**
 * A saturated link (once per recorder). A container's time in a bucket is its computing
 * (time-sliced) plus its stall: per second of computing kappa of the one, s = latency part +
 * transfer part of the other, the transfer part on link L being its bytes there over L's
 * bandwidth (what the cost model charged). A link carries at most its bandwidth, so when the
 * offered bytes exceed it the transfers queue: each byte's transfer time is stretched by a
 * factor u, the same for every transfer on the link, and a container then does
 * W(u) = elapsed / (kappa + s_lat + u x s_tx) seconds of computing in the bucket. The link
 * saturates at the u where the bytes of that work equal what it carries (sum over its
 * containers of bytes per computing second x W(u) = bandwidth x seconds, found by bisection;
 * their bytes fall as u grows). Below capacity u = 1 and nothing changes. The bucket's elapsed
 * time stays, the work shrinks, the rest is stall: its slowdown grows. Measured over about
 * PEAK_WINDOW seconds around the bucket (so that the bursts of a few moves under sampling or
 * `--exact` do not make it); links one after the other (a container on two saturated links
 * sees the second with the first applied).
 */
export function applySaturation(rec: Recorder, model: Model): void {
  if (rec.saturated) return;
  rec.saturated = true;
  const L = rec.links;
  const C = rec.containers;
  const half = Math.floor(Math.max(1, Math.round(PEAK_WINDOW / rec.bucketSeconds)) / 2);
  for (let link = 0; link < L; link++) {
    const capacity = linkCapacity(model, link);
    const factors = new Float64Array(rec.buckets).fill(1);
    for (let b = 0; b < rec.buckets; b++) {
      if (!(rec.covered[b] > 0)) continue;
      const lo = Math.max(0, b - half);
      const hi = Math.min(rec.buckets - 1, b + half);
      let seconds = 0;
      let bytes = 0;
      for (let k = lo; k <= hi; k++) { seconds += rec.covered[k]; bytes += rec.linkBytes[k * L + link]; }
      // (what the link's containers offer unstretched is what it was offered)
      if (bytes > capacity * seconds * (1 + 1e-12)) factors[b] = stretch(rec, link, capacity, lo, hi, capacity * seconds);
    }
    // the shares of each container come from the same window (a bucket's own bytes and stall may hold different ticks)
    const scales = new Float64Array(rec.buckets * C).fill(1);
    for (let b = 0; b < rec.buckets; b++) {
      if (!(factors[b] > 1)) continue;
      const lo = Math.max(0, b - half);
      const hi = Math.min(rec.buckets - 1, b + half);
      for (let c = 0; c < C; c++) scales[b * C + c] = workShare(rec, c, link, capacity, lo, hi, factors[b]);
    }
    for (let b = 0; b < rec.buckets; b++) for (let c = 0; c < C; c++) if (scales[b * C + c] < 1) throttle(rec, b, c, scales[b * C + c]);
  }
}

/** Computing seconds of container c in buckets lo..hi when transfers on `link` are stretched by u, and the bytes it puts there per computing second. */
function work(rec: Recorder, c: number, link: number, capacity: number, lo: number, hi: number, u: number): { w: number; bytes: number } {
  const C = rec.containers;
  let compute = 0, contended = 0, stall = 0, bytes = 0;
  for (let k = lo; k <= hi; k++) {
    const i = k * C + c;
    compute += rec.compute[i]; contended += rec.contended[i]; stall += rec.stall[i]; bytes += rec.cLinkBytes.at(k, c, link);
  }
  if (!(compute > 0) || !(bytes > 0)) return { w: compute, bytes: 0 };
  const tx = Math.min(stall, bytes / capacity);
  const w = (contended + stall) / ((contended + stall - tx) / compute + (u * tx) / compute);
  return { w, bytes: bytes / compute };
}

/** The stretch u >= 1 at which the work of the link's containers over buckets lo..hi offers `carried` bytes (1: it fits). */
function stretch(rec: Recorder, link: number, capacity: number, lo: number, hi: number, carried: number): number {
  const users = [...rec.cLinkBytes.users(link)].sort((a, b) => a - b).filter((c) => { for (let k = lo; k <= hi; k++) if (rec.cLinkBytes.at(k, c, link) > 0) return true; return false; });
  const offered = (u: number): number => {
    let x = 0;
    for (const c of users) { const r = work(rec, c, link, capacity, lo, hi, u); x += r.w * r.bytes; }
    return x;
  };
  if (!(offered(1) > carried * (1 + 1e-12))) return 1;
  let a = 1;
  let z = 2;
  // (traffic that does not stall, packed containers' messages, cannot be slowed: past a million the link is given up)
  while (offered(z) > carried && z < 1e6) { a = z; z *= 2; }
  for (let it = 0; it < 50; it++) { const m = (a + z) / 2; if (offered(m) > carried) a = m; else z = m; }
  return z;
}

/** The share of its computing container c keeps over buckets lo..hi when its transfers on `link` are stretched by u. */
function workShare(rec: Recorder, c: number, link: number, capacity: number, lo: number, hi: number, u: number): number {
  const C = rec.containers;
  let compute = 0, contended = 0, stall = 0, bytes = 0;
  for (let k = lo; k <= hi; k++) {
    const i = k * C + c;
    compute += rec.compute[i]; contended += rec.contended[i]; stall += rec.stall[i]; bytes += rec.cLinkBytes.at(k, c, link);
  }
  if (!(compute > 0) || !(bytes > 0)) return 1;
  const elapsed = contended + stall;
  const tx = Math.min(stall, bytes / capacity);
  return elapsed / (elapsed + (u - 1) * tx);
}

/** Container c in bucket b keeps `scale` of its computing: the rest of its time is stall. */
function throttle(rec: Recorder, b: number, c: number, scale: number): void {
  const i = b * rec.containers + c;
  if (!(rec.compute[i] > 0)) return;
  const extra = rec.contended[i] * (1 - scale);
  rec.compute[i] *= scale;
  rec.contended[i] *= scale;
  rec.stall[i] += extra;
  rec.stallTotal[b] += extra;
}

interface Peak { readonly value: number; readonly bucket: number; readonly seconds: number }


/**
 * The highest rate (bytes per second) over a window of consecutive buckets from bucket `from`
 * on: windows of PEAK_WINDOW seconds (at least one bucket, at most what is there), sliding one
 * bucket at a time; its first bucket and its seconds.
 */
function peakOf(rec: Recorder, arr: Float64Array, stride: number, index: number, buckets: number, from = 0): Peak {
  const k = Math.max(1, Math.min(buckets - from, Math.round(PEAK_WINDOW / rec.bucketSeconds)));
  let value = 0;
  let bucket = -1;
  let seconds = 0;
  let sum = 0;
  let covered = 0;
  for (let b = from; b < buckets; b++) {
    sum += arr[b * stride + index];
    covered += rec.covered[b];
    if (b - k >= from) { sum -= arr[(b - k) * stride + index]; covered -= rec.covered[b - k]; }
    if (b - from + 1 < k || !(covered > 1e-12)) continue;
    const v = sum / covered;
    // (a figure that is the same in every window peaks at its first: rounding noise does not pick one)
    if (v > value * (1 + 1e-9)) { value = v; bucket = b - k + 1; seconds = covered; }
  }
  return { value, bucket, seconds };
}

function total(arr: Float64Array, stride: number, index: number, buckets: number): number {
  let s = 0;
  for (let b = 0; b < buckets; b++) s += arr[b * stride + index];
  return s;
}

/** The document's `traffic`: per node and per link with traffic, its peak from bucket `from` on (as T504 judges it) and its bytes over the run. */
export function trafficResult(model: Model, rec: Recorder, from: number, buckets: number): TrafficResult {
  const nodes: NodeTraffic[] = [];
  for (const n of model.nodes) {
    const out = peakOf(rec, rec.nodeOut, rec.nodes, n.id, buckets, from);
    const inn = peakOf(rec, rec.nodeIn, rec.nodes, n.id, buckets, from);
    const at = out.value >= inn.value ? out.bucket : inn.bucket;
    const bytes = total(rec.nodeOut, rec.nodes, n.id, buckets) + total(rec.nodeIn, rec.nodes, n.id, buckets) + rec.burstNode[n.id];
    if (out.bucket < 0 && inn.bucket < 0 && !(bytes > 0)) continue;
    nodes.push({ ref: n.ref, nic: n.nic, peakOut: round(out.value, 3), peakIn: round(inn.value, 3), peakAt: round(Math.max(0, at) * rec.bucketSeconds, 6), bytes: Math.round(bytes) });
  }
  const links: LinkTraffic[] = [];
  for (let link = 0; link < rec.links; link++) {
    const p = peakOf(rec, rec.linkBytes, rec.links, link, buckets, from);
    const bytes = total(rec.linkBytes, rec.links, link, buckets) + rec.burstLink[link];
    if (p.bucket < 0 && !(bytes > 0)) continue;
    const capacity = linkCapacity(model, link);
    links.push({
      link: linkName(model, link), bandwidth: capacity, peak: round(p.value, 3), peakAt: round(Math.max(0, p.bucket) * rec.bucketSeconds, 6),
      utilisation: round(p.value / capacity, 6), bytes: Math.round(bytes),
    });
  }
  return { nodes, links };
}

export interface T504Input {
  readonly model: Model;
  readonly rec: Recorder;
  readonly buckets: number;
  /** First bucket judged: the steady state's, or the first event's when it comes earlier (the start-up re-homing is not judged). */
  readonly from: number;
  readonly scenario: string | null;
  readonly related: readonly { readonly file: string; readonly range: LineRange; readonly message: string }[];
  readonly resolve: (loc: Location) => LineRange;
}

/** Gbps, as printed: 1 decimal under 100, else whole. */
export function gbps(bytesPerSecond: number): string {
  const g = (bytesPerSecond * 8) / 1e9;
  return g >= 100 ? g.toFixed(0) : g.toFixed(1).replace(/\.0$/, '');
}

/** The smallest whole Gbps figure at or above a rate, as the file would write it. */
function atLeast(bytesPerSecond: number): string {
  return `${Math.ceil(((bytesPerSecond * 8) / 1e9) * (1 + 1e-9))}Gbps`;
}

function windowText(rec: Recorder, p: Peak): string {
  const from = p.bucket * rec.bucketSeconds;
  return `between ${round(from, 3)} s and ${round(from + p.seconds, 3)} s`;
}

/** The containers with the largest `weight`, at most 3, with their share of the sum. */
function topContainers(model: Model, weight: (c: number) => number): { c: number; share: number }[] {
  let sum = 0;
  const all: { c: number; w: number }[] = [];
  for (let c = 0; c < model.containers.length; c++) { const w = weight(c); if (w > 0) { all.push({ c, w }); sum += w; } }
  all.sort((a, b) => b.w - a.w || a.c - b.c);
  return all.slice(0, 3).map((x) => ({ c: x.c, share: x.w / sum }));
}

/** T504: per node whose NIC and per link whose bandwidth the predicted peak traffic exceeds. */
export function trafficDiagnostics(input: T504Input): SimulationDiagnostic[] {
  const { model, rec, buckets, from, scenario, resolve } = input;
  const out: SimulationDiagnostic[] = [];
  const inRun = scenario ? ` in scenario "${scenario}"` : '';
  const relatedOf = (top: { c: number; share: number }[], what: string) => [
    ...input.related,
    ...top.map(({ c, share }) => { const k = model.containers[c]; return { file: k.nameAt.file, range: resolve(k.nameAt), message: `${k.name} causes ${Math.round(share * 100)}% of ${what}` }; }),
  ];
  const names = (top: { c: number }[]): string => top.map(({ c }) => model.containers[c].name).join(', ');
  for (const n of model.nodes) {
    const outPeak = peakOf(rec, rec.nodeOut, rec.nodes, n.id, buckets, from);
    const inPeak = peakOf(rec, rec.nodeIn, rec.nodes, n.id, buckets, from);
    const p = outPeak.value >= inPeak.value ? outPeak : inPeak;
    if (!(p.value > n.nic * (1 + 1e-9))) continue;
    const top = topContainers(model, (c) => rec.cNodeBytes.at(c, n.id));
    const at = n.at.nic ?? n.nameAt;
    const dir = p === outPeak ? 'out of' : 'into';
    out.push({
      code: 'T504', severity: DIAGNOSTIC_SEVERITY.T504, scenario, related: relatedOf(top, `the traffic through ${n.ref}'s NIC`), subject: n.ref, file: at.file, range: resolve(at),
      message: `predicted traffic ${dir} ${n.ref}'s NIC peaks at ${gbps(p.value)} Gbps${inRun} ${windowText(rec, p)}, over its nic of ${gbps(n.nic)} Gbps: raise \`nic\` to at least ${atLeast(p.value)}, or spread the containers that send most of it${top.length ? ` (${names(top)})` : ''} over more nodes`,
    });
  }
  for (let link = 0; link < rec.links; link++) {
    const p = peakOf(rec, rec.linkBytes, rec.links, link, buckets, from);
    const capacity = linkCapacity(model, link);
    if (!(p.value > capacity * (1 + 1e-9))) continue;
    const isFabric = link >= model.racks.length;
    const top = topContainers(model, (c) => { let s = 0; for (let b = p.bucket; b < buckets && b * rec.bucketSeconds < p.bucket * rec.bucketSeconds + p.seconds - 1e-12; b++) s += rec.cLinkBytes.at(b, c, link); return s; });
    const where = isFabric ? 'across racks (the fabric)' : `between the nodes of rack ${model.racks[link].name}`;
    const at: Location = isFabric ? model.fabric.at?.bandwidth ?? model.fabric.at?.block ?? model.racks[0].nameAt : model.racks[link].at.bandwidth ?? model.racks[link].nameAt;
    const move = isFabric ? 'keep the containers that exchange most of it' : 'move some of the containers that send most of it';
    const then = isFabric ? ' within one rack' : ' to another rack';
    out.push({
      code: 'T504', severity: DIAGNOSTIC_SEVERITY.T504, scenario, related: relatedOf(top, `the traffic ${where} at its peak`), subject: linkName(model, link), file: at.file, range: resolve(at),
      message: `predicted traffic ${where} peaks at ${gbps(p.value)} Gbps${inRun} ${windowText(rec, p)}, over the ${isFabric ? "fabric's" : "rack's"} bandwidth of ${gbps(capacity)} Gbps (${(p.value / capacity).toFixed(2)}x what it carries): raise \`bandwidth\` to at least ${atLeast(p.value)}, or ${move}${top.length ? ` (${names(top)})` : ''}${then}`,
    });
  }
  return out;
}

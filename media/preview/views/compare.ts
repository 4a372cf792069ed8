// Policy comparison: the policies ranked by slowdown (with their 95% intervals), then small
// multiples of bars in that order (slowdown and locality with interval whiskers, stall time,
// migrations, network bytes).
import { select, scaleBand, scaleLinear } from 'd3';
import { bytes, count, percent, percent1, seconds } from '../format';
import { POLICIES, type Policy, type SimulationResult } from '../messages';
import { SVG_NS, type RenderedView, type ViewContext } from './context';

interface Metric {
  readonly id: string;
  readonly title: string;
  readonly better: 'higher' | 'lower';
  readonly value: (r: SimulationResult) => number;
  /** The 95% confidence half-width, for the estimated figures. */
  readonly error?: (r: SimulationResult) => number;
  readonly format: (v: number) => string;
}

const slowdown = (v: number): string => `${v.toFixed(2)}x`;

export const METRICS: readonly Metric[] = [
  { id: 'slowdown', title: 'Slowdown (steady state)', better: 'lower', value: (r) => r.summary.slowdown, error: (r) => r.summary.slowdownError, format: slowdown },
  { id: 'locality', title: 'Locality (steady state)', better: 'higher', value: (r) => r.summary.locality, error: (r) => r.summary.localityError, format: percent },
  { id: 'stall', title: 'Stall time', better: 'lower', value: (r) => r.summary.stallSeconds, format: seconds },
  { id: 'migrations', title: 'Migrations (vCPU + chunk)', better: 'lower', value: (r) => r.summary.vcpuMigrations + r.summary.chunkMigrations, format: count },
  { id: 'network', title: 'Network bytes', better: 'lower', value: (r) => r.summary.networkBytes, format: bytes },
];

/** Policies by slowdown, lowest first (ties: locality, then the usual policy order). */
export function rankPolicies(results: Partial<Record<Policy, SimulationResult>>): [Policy, SimulationResult][] {
  const entries = POLICIES.filter((p) => results[p]).map((p) => [p, results[p]!] as [Policy, SimulationResult]);
  return entries.sort((a, b) => a[1].summary.slowdown - b[1].summary.slowdown || b[1].summary.locality - a[1].summary.locality || POLICIES.indexOf(a[0]) - POLICIES.indexOf(b[0]));
}

function interval(v: string, e: string): string {
  return `${v} ± ${e}`;
}

const slowdownText = (r: SimulationResult): string => interval(slowdown(r.summary.slowdown), r.summary.slowdownError.toFixed(2));
const localityText = (r: SimulationResult): string => interval(percent1(r.summary.locality), (r.summary.localityError * 100).toFixed(1));

/** The ranking: a table (rank, policy, slowdown, against the best, locality), the current policy marked; a row runs its policy. */
function rankingTable(ctx: ViewContext, ranked: readonly [Policy, SimulationResult][], current: Policy | undefined): HTMLTableElement {
  const doc = ctx.host.ownerDocument;
  const table = doc.createElement('table');
  table.className = 'topo-ranking';
  const caption = doc.createElement('caption');
  caption.textContent = 'Policies ranked by slowdown (lower is better), with 95% intervals';
  table.appendChild(caption);
  const head = doc.createElement('tr');
  for (const h of ['#', 'policy', 'slowdown', 'vs best', 'locality', 'stall']) {
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.appendChild(th);
  }
  const thead = doc.createElement('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const body = doc.createElement('tbody');
  const best = ranked[0]![1].summary.slowdown;
  ranked.forEach(([p, r], i) => {
    const tr = doc.createElement('tr');
    tr.dataset.policy = p;
    tr.tabIndex = 0;
    tr.className = `${i === 0 ? 'best' : ''}${p === current ? ' current' : ''}`.trim();
    const worse = best > 0 ? r.summary.slowdown / best - 1 : 0;
    const cells = [String(i + 1), p + (p === current ? ' (shown)' : ''), slowdownText(r), i === 0 ? 'best' : `+${(worse * 100).toFixed(1)}%`, localityText(r), seconds(r.summary.stallSeconds)];
    for (const text of cells) {
      const td = doc.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    tr.title = `Show policy ${p}`;
    tr.setAttribute('aria-label', `Rank ${i + 1}, policy ${p}: slowdown ${slowdownText(r)}, locality ${localityText(r)}. Press Enter to show this policy.`);
    body.appendChild(tr);
  });
  table.appendChild(body);
  const run = (t: EventTarget | null): void => {
    const p = (t as Element | null)?.closest?.('tr[data-policy]')?.getAttribute('data-policy') as Policy | undefined;
    if (p) ctx.post({ type: 'simulate', scenario: ctx.state.scenario, policy: p });
  };
  table.addEventListener('click', (e) => run(e.target));
  table.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run(e.target);
    }
  });
  return table;
}

export function renderCompare(ctx: ViewContext): RenderedView {
  const { host, data, tooltip, width, height } = ctx;
  const doc = host.ownerDocument;
  const results = data.results ?? {};
  const entries = rankPolicies(results);
  if (entries.length === 0) {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = 'No policy comparison yet: run “Topo: Compare Policies”.';
    host.appendChild(p);
    return { mode: 'empty', refreshMarks() {} };
  }
  const current = data.simulation?.input.policy;
  host.appendChild(rankingTable(ctx, entries, current));
  const tableH = 40 + 26 * entries.length;
  const colsN = width >= 720 ? 2 : 1;
  const rowsN = Math.ceil(METRICS.length / colsN);
  const panelW = Math.floor((width - 16 * (colsN + 1)) / colsN);
  const panelH = Math.max(150, Math.min(260, Math.floor((height - tableH - 30) / rowsN) - 16));
  const totalH = rowsN * (panelH + 16) + 16;
  const svg = select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-compare').attr('width', width).attr('height', totalH)
    .attr('role', 'group').attr('aria-label', `Comparison of ${entries.length} policies, ranked by slowdown`);
  host.appendChild(svg.node()!);
  svg.append('rect').attr('class', 'topo-bg').attr('width', width).attr('height', totalH);

  METRICS.forEach((m, k) => {
    const px = 16 + (k % colsN) * (panelW + 16);
    const py = 16 + Math.floor(k / colsN) * (panelH + 16);
    const g = svg.append('g').attr('class', 'panel').attr('data-metric', m.id).attr('transform', `translate(${px},${py})`);
    g.append('rect').attr('class', 'panel-box').attr('width', panelW).attr('height', panelH).attr('rx', 4);
    g.append('text').attr('class', 'panel-title').attr('x', 10).attr('y', 18).text(`${m.title} (${m.better} is better${m.error ? '; whiskers: 95% interval' : ''})`);
    const vals = entries.map(([, r]) => m.value(r));
    const errs = entries.map(([, r]) => m.error?.(r) ?? 0);
    const maxV = Math.max(...vals.map((v, i) => v + errs[i]!), m.id === 'locality' ? 1 : 0) || 1;
    const best = m.better === 'higher' ? Math.max(...vals) : Math.min(...vals);
    const x = scaleBand<string>().domain(entries.map(([p]) => p)).range([10, panelW - 10]).padding(0.3);
    const y = scaleLinear().domain([0, maxV]).range([panelH - 24, 42]);
    entries.forEach(([p], i) => {
      const v = vals[i]!;
      const e = errs[i]!;
      const isBest = v === best && entries.length > 1;
      const label = m.error ? `${m.format(v)} ± ${m.id === 'locality' ? `${(e * 100).toFixed(1)} points` : e.toFixed(2)}` : m.format(v);
      const bg = g.append('g').attr('class', `bar${p === current ? ' current' : ''}${isBest ? ' best' : ''}`)
        .attr('data-policy', p).attr('tabindex', 0).attr('role', 'button')
        .attr('aria-label', `${m.title}, policy ${p}: ${label}${isBest ? ' (best)' : ''}. Press Enter to show this policy.`);
      const cx = x(p)! + x.bandwidth() / 2;
      bg.append('rect').attr('x', x(p)!).attr('y', y(v)).attr('width', x.bandwidth()).attr('height', Math.max(0, y(0) - y(v)));
      if (m.error && e > 0) {
        const w = Math.min(10, x.bandwidth() / 4);
        const top = y(v + e);
        const bottom = y(Math.max(0, v - e));
        bg.append('path').attr('class', 'bar-interval').attr('d', `M${cx - w},${top}H${cx + w}M${cx},${top}V${bottom}M${cx - w},${bottom}H${cx + w}`);
      }
      bg.append('text').attr('class', 'bar-value').attr('x', cx).attr('y', y(v + e) - 4).attr('text-anchor', 'middle').text(m.format(v));
      bg.append('text').attr('class', 'bar-label').attr('x', cx).attr('y', panelH - 8).attr('text-anchor', 'middle').text(p);
    });
  });
  const svgEl = svg.node()!;
  const find = (t: EventTarget | null): { policy: Policy; metric: Metric } | null => {
    const el = (t as Element | null)?.closest?.('[data-policy]');
    const panel = el?.closest('[data-metric]');
    const policy = el?.getAttribute('data-policy') as Policy | undefined;
    const metric = METRICS.find((m) => m.id === panel?.getAttribute('data-metric'));
    return policy && metric && results[policy] ? { policy, metric } : null;
  };
  const lines = (f: { policy: Policy; metric: Metric }): string[] => {
    const r = results[f.policy]!;
    const rank = entries.findIndex(([p]) => p === f.policy) + 1;
    return [`policy ${f.policy} (rank ${rank} of ${entries.length} by slowdown)`, `${f.metric.title}: ${f.metric.format(f.metric.value(r))}`,
      `slowdown ${slowdownText(r)} · locality ${localityText(r)}`,
      `stall ${seconds(r.summary.stallSeconds)} · ${count(r.summary.vcpuMigrations)} vCPU + ${count(r.summary.chunkMigrations)} chunk migrations`,
      `network ${bytes(r.summary.networkBytes)}`];
  };
  svgEl.addEventListener('mousemove', (e) => {
    const f = find(e.target);
    if (f) tooltip.show(lines(f), e.clientX, e.clientY);
    else tooltip.hide();
  });
  svgEl.addEventListener('mouseleave', () => tooltip.hide());
  svgEl.addEventListener('focusin', (e) => {
    const f = find(e.target);
    if (f) tooltip.showAt(lines(f), e.target as Element);
  });
  svgEl.addEventListener('focusout', () => tooltip.hide());
  const run = (t: EventTarget | null): void => {
    const f = find(t);
    if (f) ctx.post({ type: 'simulate', scenario: ctx.state.scenario, policy: f.policy });
  };
  svgEl.addEventListener('click', (e) => run(e.target));
  svgEl.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run(e.target);
    }
  });
  return { mode: 'svg', refreshMarks() {} };
}

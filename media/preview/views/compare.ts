// Policy comparison: small multiples of bars (locality, stall time, migrations, network bytes).
import { select, scaleBand, scaleLinear } from 'd3';
import { bytes, count, percent, seconds } from '../format';
import { POLICIES, type Policy, type SimulationResult } from '../messages';
import { SVG_NS, type RenderedView, type ViewContext } from './context';

interface Metric {
  readonly id: string;
  readonly title: string;
  readonly better: 'higher' | 'lower';
  readonly value: (r: SimulationResult) => number;
  readonly format: (v: number) => string;
}

export const METRICS: readonly Metric[] = [
  { id: 'locality', title: 'Locality (steady state)', better: 'higher', value: (r) => r.summary.locality, format: percent },
  { id: 'stall', title: 'Stall time', better: 'lower', value: (r) => r.summary.stallSeconds, format: seconds },
  { id: 'migrations', title: 'Migrations (vCPU + chunk)', better: 'lower', value: (r) => r.summary.vcpuMigrations + r.summary.chunkMigrations, format: count },
  { id: 'network', title: 'Network bytes', better: 'lower', value: (r) => r.summary.networkBytes, format: bytes },
];

export function renderCompare(ctx: ViewContext): RenderedView {
  const { host, data, tooltip, width, height } = ctx;
  const doc = host.ownerDocument;
  const results = data.results ?? {};
  const entries = POLICIES.filter((p) => results[p]).map((p) => [p, results[p]!] as [Policy, SimulationResult]);
  if (entries.length === 0) {
    const p = doc.createElement('p');
    p.className = 'topo-empty';
    p.textContent = 'No policy comparison yet: run “Topo: Compare Policies”.';
    host.appendChild(p);
    return { mode: 'empty', refreshMarks() {} };
  }
  const current = data.simulation?.input.policy;
  const colsN = width >= 720 ? 2 : 1;
  const panelW = Math.floor((width - 16 * (colsN + 1)) / colsN);
  const panelH = Math.max(150, Math.min(260, Math.floor((height - 30) / Math.ceil(METRICS.length / colsN)) - 16));
  const totalH = Math.ceil(METRICS.length / colsN) * (panelH + 16) + 16;
  const svg = select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('class', 'topo-chart topo-compare').attr('width', width).attr('height', totalH)
    .attr('role', 'group').attr('aria-label', `Comparison of ${entries.length} policies`);
  host.appendChild(svg.node()!);
  svg.append('rect').attr('class', 'topo-bg').attr('width', width).attr('height', totalH);

  METRICS.forEach((m, k) => {
    const px = 16 + (k % colsN) * (panelW + 16);
    const py = 16 + Math.floor(k / colsN) * (panelH + 16);
    const g = svg.append('g').attr('class', 'panel').attr('data-metric', m.id).attr('transform', `translate(${px},${py})`);
    g.append('rect').attr('class', 'panel-box').attr('width', panelW).attr('height', panelH).attr('rx', 4);
    g.append('text').attr('class', 'panel-title').attr('x', 10).attr('y', 18).text(`${m.title} (${m.better} is better)`);
    const vals = entries.map(([, r]) => m.value(r));
    const maxV = Math.max(...vals, m.id === 'locality' ? 1 : 0) || 1;
    const best = m.better === 'higher' ? Math.max(...vals) : Math.min(...vals);
    const x = scaleBand<string>().domain(entries.map(([p]) => p)).range([10, panelW - 10]).padding(0.3);
    const y = scaleLinear().domain([0, maxV]).range([panelH - 24, 42]);
    entries.forEach(([p], i) => {
      const v = vals[i]!;
      const isBest = v === best && entries.length > 1;
      const bg = g.append('g').attr('class', `bar${p === current ? ' current' : ''}${isBest ? ' best' : ''}`)
        .attr('data-policy', p).attr('tabindex', 0).attr('role', 'button')
        .attr('aria-label', `${m.title}, policy ${p}: ${m.format(v)}${isBest ? ' (best)' : ''}. Press Enter to show this policy.`);
      bg.append('rect').attr('x', x(p)!).attr('y', y(v)).attr('width', x.bandwidth()).attr('height', Math.max(0, y(0) - y(v)));
      bg.append('text').attr('class', 'bar-value').attr('x', x(p)! + x.bandwidth() / 2).attr('y', y(v) - 4).attr('text-anchor', 'middle').text(m.format(v));
      bg.append('text').attr('class', 'bar-label').attr('x', x(p)! + x.bandwidth() / 2).attr('y', panelH - 8).attr('text-anchor', 'middle').text(p);
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
    return [`policy ${f.policy}`, `${f.metric.title}: ${f.metric.format(f.metric.value(r))}`,
      `locality ${percent(r.summary.locality)} · stall ${seconds(r.summary.stallSeconds)}`,
      `${count(r.summary.vcpuMigrations)} vCPU + ${count(r.summary.chunkMigrations)} chunk migrations`,
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

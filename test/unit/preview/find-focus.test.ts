/// <reference lib="dom" />
// Find and focus: the search box's query language, what it greys out, where it is kept; focus on
// a container's replicas, talks chain and io devices; the problems list.
import test from 'node:test';
import assert from 'node:assert/strict';
import { page } from './dom';
import { example } from './real-cache';
import { applyQuery, parseQuery, FIELDS } from '../../../media/preview/filter';
import { focusOn } from '../../../media/preview/focus';
import { buildWorld } from '../../../media/preview/world';
import { createPreview, type PersistedState } from '../../../media/preview/app';
import { realUpdate } from './real';

const worldOf = (m: ReturnType<typeof example>) => buildWorld({ placement: m.placement, simulation: m.simulation, facts: m.facts ?? null, stale: null, file: m.source!.file });

test('query: words match any field as substrings, all together; field:word one field; quotes; unknown fields said', () => {
  const w = worldOf(example('analytics-sds'));
  const names = (q: string) => [...(applyQuery(parseQuery(q), w).containers ?? [])].sort();
  assert.deepEqual(names('ingest'), ['ingest']);
  assert.deepEqual(names('INGEST'), ['ingest'], 'case-insensitive');
  assert.deepEqual(names('analytics/query'), ['query-api'], 'by image');
  assert.deepEqual(names('image:columnstore:24'), ['columnstore']);
  assert.deepEqual(names('container:dash'), ['dashboards']);
  assert.deepEqual(names('target:warehouse'), ['columnstore', 'dashboards', 'ingest', 'query-api']);
  assert.deepEqual(names('registry.local api'), ['query-api'], 'all words');
  assert.deepEqual(names('"query-api"'), ['query-api']);
  assert.deepEqual(names('nothing-like-this'), []);
  const q = parseQuery('owner:acme ingest');
  assert.deepEqual(q.unknown, ['owner']);
  // tenant:NAME (issue 21): a tenant's containers; the default tenant has none to match
  const t = worldOf(example('tenants'));
  const inTenant = (q2: string) => [...(applyQuery(parseQuery(q2), t).containers ?? [])].sort();
  assert.deepEqual(inTenant('tenant:payments'), ['checkout', 'ledger']);
  assert.deepEqual(inTenant('tenant:retail'), ['search', 'storefront']);
  assert.deepEqual(inTenant('tenant:default'), []);
  assert.equal(applyQuery(parseQuery(''), w).containers, null, 'an empty query filters nothing');
  // Nodes: those holding a match, or named by every word.
  const m = applyQuery(parseQuery('node:analytics.n2'), w);
  assert.ok(m.nodes!.has('analytics.n2'));
  assert.ok([...m.containers!].every((c) => w.containerIndex.get(c)!.presence.some((p) => p.node === 'analytics.n2')));
  // Every field is declared once and used by the parser.
  for (const f of FIELDS) assert.equal(parseQuery(`${f.id}:x`).terms[0]!.field, f);
});

test('typing filters: the rest is greyed out, the count said, the table filtered, the state handed to the host', () => {
  const p = page(700, 560);
  const states: PersistedState[] = [];
  const preview = createPreview(p.root, { post: (m) => p.posted.push(m), log: (t) => p.logs.push(t), onStateChange: (s) => states.push(s), initialFilter: 'ingest' });
  preview.handle(example('analytics-sds'));
  const v = () => preview.viewElement;
  const input = p.root.querySelector('input.topo-search') as HTMLInputElement;
  assert.equal(input.value, 'ingest', 'the filter a reload brings back');
  assert.deepEqual([...v().querySelectorAll('rect.container.dimmed')].map((e) => e.getAttribute('data-name')).sort(), ['columnstore', 'dashboards', 'query-api']);
  assert.match(p.root.querySelector('.topo-search-info')!.textContent!, /1 of 4 containers/);
  preview.setFilter('image:dashboards');
  assert.deepEqual(states.at(-1), { view: 'placement', filter: 'image:dashboards', problems: true });
  assert.deepEqual([...v().querySelectorAll('rect.container:not(.dimmed)')].map((e) => e.getAttribute('data-name')), ['dashboards']);
  preview.showView('table');
  p.mouse('click', [...v().querySelectorAll('.topo-viewbar button')].find((b) => b.textContent === 'Containers')!);
  assert.deepEqual([...v().querySelectorAll('tbody tr[data-row]')].map((r) => r.getAttribute('data-row')), ['dashboards']);
  assert.match(v().textContent!, /1 of 4 containers \(filtered\)/);
  // Escape in the box clears it.
  input.value = 'x';
  input.dispatchEvent(new p.dom.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  assert.equal(preview.state.filter, '');
  assert.equal(v().querySelectorAll('tbody tr[data-row]').length, 4);
});

test('focus: a container\'s replicas, its talks chain both ways, its io devices; the rest dimmed', () => {
  const w = worldOf(example('analytics-sds'));
  const d = focusOn(w, 'dashboards')!;
  assert.deepEqual([...d.chain].sort(), ['columnstore', 'dashboards', 'query-api'], 'dashboards -> query-api -> columnstore');
  assert.ok(d.edges.has('dashboards\u0000query-api') && d.edges.has('query-api\u0000columnstore'));
  assert.ok(!d.edges.has('ingest\u0000columnstore'));
  const c = focusOn(w, 'columnstore')!;
  assert.deepEqual([...c.chain].sort(), ['columnstore', 'dashboards', 'ingest', 'query-api'], 'everything that reaches it');
  assert.deepEqual([...c.devices], [['analytics.n1', ['nvme0']]]);
  assert.equal(c.nodes.size, w.containerIndex.get('columnstore')!.presence.length, 'every node with a share of it');
  const i = focusOn(w, 'ingest')!;
  assert.deepEqual([...i.devices], [['analytics.n2', ['nvme0']]]);

  const p = page(700, 560);
  p.preview.handle(example('analytics-sds'));
  const v = p.preview.viewElement;
  p.key(v.querySelector('rect.container[data-name="ingest"]')!, 'Enter');
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'container', name: 'ingest' });
  assert.deepEqual([...v.querySelectorAll('rect.container.dimmed')].map((e) => e.getAttribute('data-name')).sort(), ['dashboards', 'query-api']);
  assert.ok(v.querySelector('g.node[data-ref="analytics.n2"]')!.classList.contains('highlighted'), 'the node of its io device');
  assert.ok(p.preview.rendered!.texts!().some((t) => t.text === 'io nvme0'), 'the device named on its node');
  // From the editor: the cursor in a container's block focuses it the same way.
  p.key(v.querySelector('svg.topo-placement')!, 'Escape');
  p.preview.handle({ type: 'highlight', container: 'dashboards' });
  assert.deepEqual([...v.querySelectorAll('rect.container.dimmed')].map((e) => e.getAttribute('data-name')), ['ingest']);
});

test('problems: errors, then warnings, then the most loaded nodes; a click shows the place in the graph, another the source line', () => {
  const msg = example('analytics-sds');
  const p = page(700, 560);
  p.preview.handle(msg);
  const rows = [...p.root.querySelectorAll('.topo-problem')];
  const kinds = rows.map((r) => [...r.classList].find((c) => ['error', 'warning', 'information', 'pressure'].includes(c)));
  const rank = { error: 0, warning: 1, pressure: 2, information: 3 } as Record<string, number>;
  assert.deepEqual(kinds, [...kinds].sort((a, b) => rank[a!]! - rank[b!]!), 'sorted by severity');
  const t500 = rows.find((r) => r.textContent!.includes('T500'))!;
  assert.ok(t500, 'the simulator\'s T500 is listed');
  p.mouse('click', t500.querySelector('.topo-problem-focus')!);
  assert.equal(p.preview.state.selected?.name, 'columnstore');
  assert.equal(p.preview.view, 'placement');
  p.mouse('click', t500.querySelector('.topo-problem-source')!);
  const d = msg.simulation!.diagnostics.find((x) => x.code === 'T500')!;
  assert.deepEqual(p.posted.at(-1), { type: 'revealLine', line: d.range.start.line, character: d.range.start.character });
  // The pressure rows: the nodes in order, the first the most loaded.
  const load = [...p.root.querySelectorAll('.topo-problem.pressure .topo-problem-subject')].map((e) => e.textContent);
  const w = p.preview.world!;
  assert.equal(load[0], w.hottest);
  assert.match(p.root.querySelector('.topo-problems-head')!.textContent!, new RegExp(`most loaded ${w.hottest!.replace('.', '\\.')}`));
  const src = [...p.root.querySelectorAll('.topo-problem.pressure .topo-problem-source')][0]!;
  p.mouse('click', src);
  assert.deepEqual(p.posted.at(-1), { type: 'reveal', kind: 'node', name: w.hottest });
  // Collapsing is kept.
  p.mouse('click', p.root.querySelector('.topo-problems-head')!);
  assert.equal((p.root.querySelector('.topo-problems-list') as HTMLElement).hidden, true);
});

test('problems from the check: each diagnostic on the node, container, SDS or rack it is in, with its line', () => {
  const text = `defaults { headroom 0 oversubscribe cpu 1.0 }
rack r1 {
  node n1..n2 { cores 8 memory 32GiB }
}
container web { replicas 3 cpu 3 memory 4GiB place on r1 }
container db { cpu 4 memory 8GiB limit 20GiB place on r1 }
`;
  const msg = realUpdate(text, '/work/overload.topo');
  const w = worldOf(msg);
  const errs = w.problems.filter((x) => x.severity === 'error' || x.severity === 'warning');
  assert.ok(errs.length > 0, 'the file has capacity problems');
  for (const e of errs) {
    const f = msg.facts!.diagnostics.find((d) => d.code === e.code && d.message === e.text);
    if (!f) continue;
    assert.deepEqual(e.line, f.range.start);
    if (f.subject.kind === 'container') assert.equal(e.container, f.subject.name);
  }
  assert.ok(w.rackSummaries.get('r1')!.worst, 'the rack shows its worst problem');
});

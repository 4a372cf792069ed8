/// <reference lib="dom" />
import test from 'node:test';
import assert from 'node:assert/strict';
import { page, update } from './dom';
import { SMALL, LARGE } from './generate';

test('tab bar: roles, keyboard switching, panel labelled by the selected tab', () => {
  const p = page();
  p.preview.handle(update(SMALL, {}, true));
  const tabs = [...p.root.querySelectorAll('[role="tab"]')] as HTMLElement[];
  // Short texts for a side panel; the accessible names in full.
  assert.deepEqual(tabs.map((t) => t.textContent), ['Placement', 'Table', 'Locality', 'Heatmap', 'Policies', 'Changes']);
  assert.deepEqual(tabs.map((t) => t.getAttribute('aria-label') ?? t.textContent), ['Placement', 'Table', 'Locality over time', 'Node heatmap', 'Policy comparison', 'Changes against an earlier version']);
  assert.equal(tabs[0]!.getAttribute('aria-selected'), 'true');
  assert.deepEqual(tabs.map((t) => t.tabIndex), [0, -1, -1, -1, -1, -1]);
  p.key(tabs[0]!, 'ArrowRight');
  assert.equal(p.preview.view, 'table');
  assert.equal(tabs[1]!.getAttribute('aria-selected'), 'true');
  assert.equal(p.doc.activeElement, tabs[1]);
  p.key(tabs[1]!, 'ArrowRight');
  assert.equal(p.preview.view, 'timeline');
  p.key(tabs[2]!, 'End');
  assert.equal(p.preview.view, 'changes');
  p.key(tabs[5]!, 'ArrowLeft');
  assert.equal(p.preview.view, 'compare');
  p.key(tabs[4]!, 'ArrowRight');
  p.key(tabs[5]!, 'ArrowRight');
  assert.equal(p.preview.view, 'placement');
  const panel = p.root.querySelector('[role="tabpanel"]')!;
  assert.equal(panel.getAttribute('aria-labelledby'), tabs[0]!.id);
});

test('scenario and policy pickers post simulate requests', () => {
  const p = page();
  p.preview.handle(update(SMALL));
  const [scenario, policy] = [...p.root.querySelectorAll('select')] as HTMLSelectElement[];
  assert.deepEqual([...scenario!.options].map((o) => o.value), ['', 'rack-failure', 'peak-load']);
  assert.equal(scenario!.value, 'rack-failure');
  assert.equal(policy!.value, 'cost');
  scenario!.value = 'peak-load';
  scenario!.dispatchEvent(new p.dom.window.Event('change', { bubbles: true }));
  assert.deepEqual(p.posted.at(-1), { type: 'simulate', scenario: 'peak-load', policy: 'cost' });
  policy!.value = 'vcpu';
  policy!.dispatchEvent(new p.dom.window.Event('change', { bubbles: true }));
  assert.deepEqual(p.posted.at(-1), { type: 'simulate', scenario: 'peak-load', policy: 'vcpu' });
  scenario!.value = '';
  p.mouse('click', [...p.root.querySelectorAll('button')].find((b) => b.textContent === 'Simulate')!);
  assert.deepEqual(p.posted.at(-1), { type: 'simulate', scenario: null, policy: 'vcpu' });
});

test('summary shows the result numbers', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle(msg);
  const status = p.root.querySelector('.topo-status')!.textContent!;
  assert.match(status, /generated\.topo/);
  const s = msg.simulation!.summary;
  // estimates with their 95% intervals
  assert.match(status, new RegExp(`locality${(s.locality * 100).toFixed(1)}% ± ${(s.localityError * 100).toFixed(1)}`));
  assert.match(status, new RegExp(`slowdown${s.slowdown.toFixed(2)}x ± ${s.slowdownError.toFixed(2)}`));
  assert.match(status, /policycost/);
});

test('a result where nothing ran says there is nothing to simulate, not a locality', () => {
  const p = page();
  const msg = update(SMALL);
  p.preview.handle({ ...msg, simulation: { ...msg.simulation!, containers: [] } });
  const status = p.root.querySelector('.topo-status')!.textContent!;
  assert.match(status, /nothing to simulate/);
  assert.doesNotMatch(status, /locality/);
});

test('invalid messages are logged and ignored; the view is unchanged', () => {
  const p = page();
  p.preview.handle(update(SMALL));
  const before = p.preview.viewElement.innerHTML;
  assert.equal(p.preview.handle({ type: 'update', placement: { version: '1', file: 'x', targets: 'nope' } }), false);
  assert.equal(p.preview.handle({ type: 'highlight', container: { toString: 'x' } }), false);
  assert.equal(p.logs.length, 2);
  assert.match(p.logs[0]!, /ignored an invalid message: update\.placement\.targets: expected an array/);
  assert.equal(p.preview.viewElement.innerHTML, before);
});

test('export SVG posts standalone SVG of the current view (with marks, without ARIA noise)', () => {
  // The placement is painted: its export is the same painting as SVG (labelled chips of the small
  // result; the overview of the large one: racks summarised, nodes as tiles).
  const small = update(SMALL);
  for (const [msgIn, marks] of [[small, `>${small.simulation!.containers[0]!.name}`], [update(LARGE), '>RACK r8<']] as const) {
    const p = page();
    p.preview.handle(msgIn);
    p.mouse('click', [...p.root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Export SVG')!);
    const msg = p.posted.at(-1)!;
    assert.equal(msg.type, 'export');
    if (msg.type !== 'export') return;
    assert.equal(msg.format, 'svg');
    assert.match(msg.data, /^<\?xml[^]*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!/tabindex|aria-label/.test(msg.data));
    assert.ok(msg.data.includes(marks), `${marks} in the export`);
    assert.ok(!msg.data.includes('var(--'), 'colours are plain values');
    assert.ok(msg.data.includes('sds1a'));
  }
});

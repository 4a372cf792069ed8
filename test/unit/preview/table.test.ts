/// <reference lib="dom" />
// The table: nodes and containers with their numbers (checked against the documents), sorting,
// CSV (parsed back), selection.
import test from 'node:test';
import assert from 'node:assert/strict';
import { page, update } from './dom';
import { LARGE } from './generate';
import { example } from './real-cache';
import { csvField, toCsv, nodeColumns } from '../../../media/preview/views/table';

/** A small CSV parser (RFC 4180 quoting) to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  return rows;
}

test('nodes table: the placement\'s and the simulation\'s numbers, sorted by pressure; a header click sorts', () => {
  const msg = example('microservices-rack');
  const p = page(1200, 700);
  p.preview.handle(msg);
  p.preview.showView('table');
  const v = p.preview.viewElement;
  const heads = [...v.querySelectorAll('th')].map((h) => h.textContent!.replace(/[▲▼]/g, '').trim());
  for (const h of ['Node', 'Pressure', 'CPU req', 'CPU lim', 'CPU allow', 'CPU used', 'Mem req', 'Mem lim', 'Mem allow', 'Mem used']) assert.ok(heads.includes(h), `column ${h}`);
  const col = (name: string) => heads.indexOf(name);
  const rows = [...v.querySelectorAll('tbody tr[data-row]')];
  assert.equal(rows.length, p.preview.world!.nodes.filter((n) => n.kind === 'node').length);
  const cell = (r: Element, name: string) => r.querySelectorAll('td')[col(name)]!.textContent!;
  // Independent: the placement's own numbers for a packed node.
  const byRef = new Map(msg.placement.targets.flatMap((t) => t.nodes.map((n) => [n.ref, n] as const)));
  for (const r of rows) {
    const n = byRef.get(r.getAttribute('data-row')!);
    if (!n) continue;
    assert.equal(Number(cell(r, 'CPU req')), Math.round(n.requested.cpu * 10) / 10);
    assert.equal(Number(cell(r, 'CPU allow')), Math.round(n.allowance.cpu * 10) / 10);
  }
  const sim = new Map(msg.simulation!.nodes.map((n) => [n.ref, n]));
  for (const r of rows) assert.equal(Number(cell(r, 'CPU used')), Math.round(sim.get(r.getAttribute('data-row')!)!.cpuUtil * sim.get(r.getAttribute('data-row')!)!.cores * 10) / 10);
  const pressures = rows.map((r) => parseFloat(cell(r, 'Pressure')));
  assert.deepEqual(pressures, [...pressures].sort((a, b) => b - a), 'most loaded first');
  assert.equal(rows[0]!.getAttribute('data-row'), p.preview.world!.hottest, 'the first row is the most loaded node');
  assert.equal(v.querySelector('th[aria-sort="descending"]')!.textContent!.replace(/[▲▼]/g, '').trim(), 'Pressure');
  // Sort by name, then the other way.
  const byName = () => [...p.preview.viewElement.querySelectorAll('tbody tr[data-row]')].map((r) => r.getAttribute('data-row')!);
  p.mouse('click', p.preview.viewElement.querySelector('button[data-column="node"]')!);
  assert.deepEqual(byName(), [...byName()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  p.mouse('click', p.preview.viewElement.querySelector('button[data-column="node"]')!);
  assert.deepEqual(byName(), [...byName()].sort((a, b) => b.localeCompare(a, 'en', { numeric: true })));
  assert.equal(p.preview.viewElement.querySelector('th[aria-sort="descending"] button')!.getAttribute('data-column'), 'node');
  // A row click selects the node and reveals it.
  p.mouse('click', p.preview.viewElement.querySelector('tbody tr[data-row]')!);
  assert.equal(p.posted.at(-1)?.type, 'reveal');
  assert.ok(p.preview.viewElement.querySelector('tbody tr.selected'));
});

test('containers table: requests, limits, locality (± interval when given), slowdown; CSV has the raw numbers', () => {
  const msg = example('analytics-sds');
  // As simulator v2 sends them: intervals.
  const sim = msg.simulation!;
  const withErr = { ...msg, simulation: { ...sim, containers: sim.containers.map((c, i) => ({ ...c, localityError: 0.004 * (i + 1), slowdownError: 0.01 })) } };
  const p = page(1200, 700);
  p.preview.handle(withErr);
  p.preview.state.table.kind = 'containers';
  p.preview.showView('table');
  const v = p.preview.viewElement;
  const heads = [...v.querySelectorAll('th')].map((h) => h.textContent!.replace(/[▲▼]/g, '').trim());
  const row = [...v.querySelectorAll('tbody tr[data-row]')].find((r) => r.getAttribute('data-row') === 'query-api')!;
  const cell = (name: string) => row.querySelectorAll('td')[heads.indexOf(name)]!.textContent!;
  const q = withErr.simulation.containers.find((c) => c.name === 'query-api')!;
  assert.equal(cell('Image'), 'registry.local/analytics/query-api:5.0');
  assert.equal(cell('CPU req'), '16', '4 replicas x 4 cores');
  assert.equal(cell('CPU lim'), '32');
  assert.equal(cell('Mem lim'), '96 GiB', '4 x 24GiB');
  assert.equal(cell('Locality'), `${Math.round(q.locality! * 100)}% ± ${(q.localityError * 100).toFixed(1)}`);
  assert.match(cell('Slowdown'), /^\d+\.\d\d× ± 0\.01$/);
  // CSV: every shown row, raw numbers, parsed back.
  p.mouse('click', [...v.querySelectorAll('button')].find((b) => b.textContent === 'Export CSV')!);
  const out = p.posted.at(-1)!;
  assert.ok(out.type === 'export' && out.format === 'csv');
  if (out.type !== 'export') return;
  const rows = parseCsv(out.data);
  const header = rows[0]!;
  assert.equal(rows.length, 1 + 4);
  const qr = rows.find((r) => r[0] === 'query-api')!;
  const val = (h: string) => qr[header.indexOf(h)]!;
  assert.equal(Number(val('cpu_request_cores_per_replica')), 4);
  assert.equal(Number(val('memory_limited_bytes')), 4 * 24 * 1024 ** 3);
  assert.equal(Number(val('locality')), q.locality);
  assert.equal(Number(val('locality_error')), q.localityError);
  assert.equal(val('image'), 'registry.local/analytics/query-api:5.0');
});

test('CSV fields: quoting, and no formula a spreadsheet would run', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-cmd'), "'-cmd");
  assert.equal(csvField('a\u001bb'), 'a\ufffdb');
  assert.equal(csvField(null), '');
  assert.equal(csvField(1.5), '1.5');
});

test('2,000 containers: rows drawn only where the table scrolls; CSV has them all', () => {
  const p = page(1000, 700);
  p.preview.handle(update(LARGE));
  p.preview.state.table.kind = 'containers';
  p.preview.showView('table');
  const v = p.preview.viewElement;
  const drawn = v.querySelectorAll('tbody tr[data-row]').length;
  assert.ok(drawn > 10 && drawn < 120, `drawn rows: ${drawn}`);
  const w = p.preview.world!;
  const csv = toCsv(w.nodes.filter((n) => n.kind === 'node'), nodeColumns(w));
  assert.equal(csv.trim().split('\r\n').length, 1 + 96);
  p.mouse('click', [...v.querySelectorAll('button')].find((b) => b.textContent === 'Export CSV')!);
  const out = p.posted.at(-1)!;
  assert.ok(out.type === 'export' && out.data.trim().split('\r\n').length === 2001);
});

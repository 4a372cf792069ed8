import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { applyEdits } from '../../../server/src/core/ide/format';
import type { PlacementResult } from '../../../server/src/core/result';

/** Tenants in placement: numbers computed by hand in each test. */

const GiB = 1024 ** 3;

/** Per node ref: the containers of the replicas there, sorted. */
function byNode(p: PlacementResult | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of p?.targets ?? []) for (const n of t.nodes) out.set(n.ref, n.replicas.map((r) => r.container).sort());
  return out;
}

function node(p: PlacementResult | null, ref: string) {
  for (const t of p?.targets ?? []) for (const n of t.nodes) if (n.ref === ref) return n;
  assert.fail(`no node ${ref}`);
}

const DEDICATED = (order: 'ledger first' | 'batch first') => {
  const ledger = 'container ledger {\n  tenant bank\n  replicas 2\n  cpu 4\n  memory 8GiB\n  place on r1\n}\n';
  const batch = 'container batch {\n  replicas 6\n  cpu 4\n  memory 8GiB\n  place on r1\n}\n';
  return `defaults { headroom 0 }\nrack r1 {\n  node n1..n4 { cores 16 memory 64GiB }\n}\ntenant bank { isolation dedicated }\n${order === 'ledger first' ? ledger + batch : batch + ledger}`;
};

test('a dedicated tenant is kept apart: no node holds it and another tenant, whatever the declaration order', () => {
  for (const order of ['ledger first', 'batch first'] as const) {
    const r = checkText(DEDICATED(order));
    assert.deepEqual(r.diagnostics.map((d) => d.code), [], order);
    const nodes = byNode(r.placement);
    const withLedger = [...nodes].filter(([, cs]) => cs.includes('ledger'));
    // 2 x 4 cores fit one 16-core node; a dedicated tenant takes as few nodes as it can
    assert.equal(withLedger.length, 1, order);
    for (const [ref, cs] of withLedger) assert.deepEqual(cs, ['ledger', 'ledger'], `${order}: ${ref} holds ${cs.join(', ')}`);
    // the 6 batch replicas (24 cores) share the 3 other nodes
    const batch = [...nodes].flatMap(([, cs]) => cs).filter((c) => c === 'batch').length;
    assert.equal(batch, 6, order);
  }
});

test('a dedicated tenant that finds no node of its own is T408; without isolation the same file is clean', () => {
  // 3 nodes of 16 cores; bank needs one node (12 cores), the default tenant's 3 x 12 cores need all 3
  const text = 'defaults { headroom 0 }\nrack r1 {\n  node n1..n3 { cores 16 memory 64GiB }\n}\ntenant bank { isolation dedicated }\n'
    + 'container batch {\n  replicas 3\n  cpu 12\n  memory 8GiB\n  spread nodes\n  place on r1\n}\n'
    + 'container ledger {\n  tenant bank\n  cpu 2\n  memory 8GiB\n  place on r1\n}\n';
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), ['T408']);
  assert.deepEqual(checkText(text.replace('isolation dedicated', 'isolation shared')).diagnostics.map((d) => d.code), []);
});

const VM = (cores: number) => `defaults { headroom 0 }
rack r1 {
  node n1..n2 { cores ${cores} memory 32GiB }
}
tenant shop {
  isolation vm
  overhead cpu 1 memory 2GiB
}
container store {
  tenant shop
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
container batch {
  replicas 2
  cpu 3
  memory 8GiB
  place on r1
}
`;

test('a vm tenant pays one VM overhead on each node it shares, as request and limit', () => {
  const r = checkText(VM(8));
  assert.deepEqual(r.diagnostics.map((d) => d.code), []);
  // spread: one store and one batch per node; by hand 3 + 3 + 1 = 7 cores, 8 + 8 + 2 = 18 GiB
  for (const ref of ['r1.n1', 'r1.n2']) {
    const n = node(r.placement, ref);
    assert.deepEqual(n.replicas.map((x) => x.container).sort(), ['batch', 'store']);
    assert.equal(n.requested.cpu, 7);
    assert.equal(n.requested.memory, 18 * GiB);
    assert.equal(n.limited.cpu, 7);
    assert.equal(n.limited.memory, 18 * GiB);
  }
  const t = r.placement?.targets[0];
  assert.ok(t);
});

test('where the overhead would not fit, placement keeps the vm tenant on nodes of its own instead', () => {
  // 6-core nodes: a store and a batch together need 3 + 3 + 1 = 7 > 6 cores, so they must not share
  const r = checkText(VM(6));
  // every core is requested: the limits reach the allowance (T402), nothing is left out
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T402']);
  assert.deepEqual(r.placement?.targets[0].unplaced, []);
  const nodes = byNode(r.placement);
  const sets = [...nodes.values()].map((cs) => [...new Set(cs)].join(',')).sort();
  assert.deepEqual(sets, ['batch', 'store']);
  for (const ref of ['r1.n1', 'r1.n2']) assert.equal(node(r.placement, ref).requested.cpu, 6);
});

test('a tenant\'s oversubscribe caps the allowance of the nodes that host it (T401 names the tenant)', () => {
  const text = (nodes: string) => `defaults {\n  headroom 0\n  oversubscribe cpu 2.0\n}\nrack r1 {\n  node ${nodes} { cores 8 memory 32GiB }\n}\n`
    + 'tenant strict { oversubscribe cpu 1.0 }\n'
    + 'container s {\n  tenant strict\n  replicas 2\n  cpu request 1 limit 4\n  memory 1GiB\n  place on r1\n}\n'
    + 'container o {\n  replicas 2\n  cpu request 1 limit 4\n  memory 1GiB\n  place on r1\n}\n';
  // two nodes: 16 cores of limits; a node that hosts `s` allows 8 x 1.0 = 8, one without it 8 x 2.0 = 16
  const two = checkText(text('n1..n2'));
  assert.deepEqual(two.diagnostics.map((d) => d.code), []);
  for (const [ref, cs] of byNode(two.placement)) {
    const n = node(two.placement, ref);
    assert.equal(n.allowance.cpu, cs.includes('s') ? 8 : 16, ref);
    assert.ok(n.limited.cpu <= n.allowance.cpu, `${ref}: ${n.limited.cpu} of ${n.allowance.cpu}`);
  }
  // one node: 16 cores of limits against 8 x 1.0 = 8
  const one = checkText(text('n1'));
  const t401 = one.diagnostics.filter((d) => d.code === 'T401');
  assert.equal(t401.length, 1, JSON.stringify(one.diagnostics.map((d) => d.message)));
  assert.match(t401[0].message, /tenant `strict`'s `oversubscribe cpu 1\.0`/);
});

test('network requests are packed against the nic: T400 when the bandwidth is short, T403 when one replica exceeds every NIC', () => {
  const text = (gbps: number, replicas: number) => `defaults { headroom 0 }\nrack r1 {\n  node n1..n2 { cores 32 memory 128GiB nic 10Gbps }\n}\n`
    + `container n {\n  replicas ${replicas}\n  cpu 1\n  memory 1GiB\n  network ${gbps}Gbps\n  place on r1\n}\n`;
  // 2 x 6 Gbps fit (one per 10 Gbps node), a third does not
  assert.deepEqual(checkText(text(6, 2)).diagnostics.map((d) => d.code), []);
  const r = checkText(text(6, 3));
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
  const t = text(6, 3);
  assert.equal(t.slice(r.diagnostics[0].span.start, r.diagnostics[0].span.end), '6Gbps');
  assert.match(r.diagnostics[0].message, /network bandwidth/);
  assert.equal(r.placement?.targets[0].unplaced.length, 1);
  const big = checkText(text(12, 1));
  assert.deepEqual(big.diagnostics.map((d) => d.code), ['T403']);
  assert.match(big.diagnostics[0].message, /12Gbps of network bandwidth; the largest node's `nic` is 10Gbps/);
});

test('every quick fix of T408 and T409 in the fixtures leaves no new error', () => {
  for (const name of ['T408-dedicated.topo', 'T408-sds-vm.topo', 'T409-quota.topo']) {
    const text = readFileSync(resolve(__dirname, '../../fixtures/T4xx', name), 'utf8');
    const r = checkText(text);
    const errors = (t: string) => checkText(t).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    const before = new Set(errors(text));
    let fixes = 0;
    for (const d of r.diagnostics.filter((x) => x.code === 'T408' || x.code === 'T409')) {
      assert.ok(d.fixes.length > 0, `${name}: ${d.message} has no fix`);
      for (const f of d.fixes) {
        fixes++;
        const after = errors(applyEdits(text, f.edits));
        assert.ok(after.length < before.size, `${name}: "${f.title}" leaves ${after.length} errors of ${before.size}`);
        const added = after.filter((e) => !before.has(e) && !e.startsWith(d.code));
        assert.deepEqual(added, [], `${name}: "${f.title}" adds errors`);
      }
    }
    assert.ok(fixes > 0);
  }
});

test('a dedicated tenant sets aside the nodes its network requests need, not only its CPU and memory', () => {
  // gold: 4 x (2 cores, 8GiB, 3Gbps). CPU and memory fit one 16-core node, but 4 x 3 = 12Gbps is
  // over one 10Gbps NIC: 3 per node at most, so it needs 2 nodes of its own. The default tenant's
  // 6 x (1 core, 4GiB; limit 4 cores at ratio 2.0 = 32 per node) take the other two.
  const text = 'defaults { headroom 0 oversubscribe cpu 2.0 memory 1.0 }\nrack r1 {\n  node n1..n4 { cores 16 memory 64GiB nic 10Gbps }\n}\n'
    + 'tenant gold { isolation dedicated }\n'
    + 'container x {\n  tenant gold\n  replicas 4\n  cpu 2\n  memory 8GiB\n  network 3Gbps\n  place on r1\n}\n'
    + 'container y {\n  replicas 6\n  cpu request 1 limit 4\n  memory 4GiB\n  place on r1\n}\n';
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  const nodes = byNode(r.placement);
  const gold = [...nodes].filter(([, cs]) => cs.includes('x'));
  assert.equal(gold.length, 2, [...nodes].map(([ref, cs]) => `${ref}: ${cs.join(' ')}`).join('; '));
  for (const [ref, cs] of gold) {
    assert.ok(cs.every((c) => c === 'x'), `${ref} holds ${cs.join(', ')}`);
    assert.ok(cs.length * 3 <= 10, `${ref}: ${cs.length} x 3Gbps on a 10Gbps NIC`);
  }
  assert.equal([...nodes].flatMap(([, cs]) => cs).filter((c) => c === 'y').length, 6);
});

test('the reason given is the one that decides: a dedicated tenant larger than every NIC is T403, a shortfall isolation causes is T408', () => {
  // r2: two nodes of 16 cores and 1Gbps. ledger (bank, dedicated) asks 2 x 2Gbps: no NIC carries one replica,
  // so it fits nowhere even alone (T403, not a count of cores); cart then has both nodes: 3 x 0.5Gbps on 2Gbps fits
  const text = (ledgerGbps: string) => `defaults { headroom 0 }\nrack r2 {\n  node m1..m2 { cores 16 memory 128GiB nic 1Gbps }\n}\n`
    + 'tenant bank { isolation dedicated }\n'
    + `container ledger {\n  tenant bank\n  replicas 2\n  cpu 4\n  memory 16GiB\n${ledgerGbps}  place on r2\n}\n`
    + 'container cart {\n  replicas 3\n  cpu 2\n  memory 8GiB\n  network 500Mbps\n  place on r2\n}\n';
  const big = checkText(text('  network 2Gbps\n'));
  assert.deepEqual(big.diagnostics.map((d) => d.code), ['T403']);
  assert.match(big.diagnostics[0].message, /`ledger` fits on no single node of `r2`: it requests 2Gbps of network bandwidth; the largest node's `nic` is 1Gbps/);
  // without its network request ledger takes m1 (2 x 4 cores); cart keeps m2 only, whose 1Gbps carries 2 of its 3 replicas:
  // the NICs together (2Gbps) would carry all three (1.5Gbps), so isolation is the cause (T408), not the bandwidth (T400)
  const apart = checkText(text(''));
  assert.deepEqual(apart.diagnostics.map((d) => d.code), ['T408']);
  assert.match(apart.diagnostics[0].message, /1 of 3 replicas of `cart`/);
  assert.deepEqual(checkText(text('').replace('isolation dedicated', 'isolation shared')).diagnostics.map((d) => d.code), []);
});

test('a T408 move is offered only to a target whose NICs together carry what is placed there with it', () => {
  // pay (dedicated, 2 x 20Gbps) shares SDS s with the default tenant's `log`: T408, moves offered. On r2 bank's
  // vault holds m1 and m2, so cart gets m3 only and leaves a replica out (T408 too). Moving pay there keeps
  // cart's count but 75Gbps of NICs would carry 80Gbps of requests: cart's shortage would turn into a
  // network one (a new T400). r3 (4 x 25Gbps, empty) has room.
  const text = (r3: boolean) => 'defaults { headroom 0 }\n'
    + 'rack r1 {\n  node n1..n2 { cores 16 memory 64GiB nic 25Gbps }\n}\n'
    + 'rack r2 {\n  node m1..m3 { cores 16 memory 64GiB nic 25Gbps }\n}\n'
    + (r3 ? 'rack r3 {\n  node k1..k4 { cores 16 memory 64GiB nic 25Gbps }\n}\n' : '')
    + 'sds s {\n  nodes r1.*\n}\n'
    + 'tenant bank { isolation dedicated }\n'
    + 'container vault {\n  tenant bank\n  replicas 2\n  cpu 1\n  memory 1GiB\n  spread nodes\n  place on r2\n}\n'
    + 'container pay {\n  tenant bank\n  replicas 2\n  cpu 2\n  memory 4GiB\n  network 20Gbps\n  place on s\n}\n'
    + 'container log {\n  cpu 1\n  memory 1GiB\n  place on s\n}\n'
    + 'container cart {\n  replicas 2\n  cpu 2\n  memory 4GiB\n  network 20Gbps\n  place on r2\n}\n';
  const codes = (t: string): string[] => checkText(t).diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes(text(false)), ['T408', 'T408']);
  const titles = (t: string): string[] => checkText(t).diagnostics.filter((d) => d.code === 'T408' && /`pay`/.test(d.message)).flatMap((d) => d.fixes.map((f) => f.title));
  assert.deepEqual(titles(text(false)).filter((x) => x.startsWith('Move')), []);
  assert.deepEqual(titles(text(true)).filter((x) => x.startsWith('Move')), ['Move `pay` to rack `r3` (isolation holds there)']);
  // the NICs are what excludes r2: with 5Gbps of cart's requests it has room and is offered
  assert.ok(titles(text(false).replace('network 20Gbps\n  place on r2', 'network 5Gbps\n  place on r2')).includes('Move `pay` to rack `r2` (isolation holds there)'));
});

test('a T408 move is never offered to an SDS without active nodes, even for a container that requests nothing', () => {
  const text = 'defaults { headroom 0 }\nrack r1 {\n  node n1..n2 { cores 16 memory 64GiB }\n  node n3 { cores 16 memory 64GiB role spare }\n}\n'
    + 'sds s {\n  nodes r1.n1..n2\n}\nsds idle {\n  spare r1.n3\n}\n'
    + 'tenant bank { isolation dedicated }\n'
    + 'container probe {\n  tenant bank\n  place on s\n}\n'
    + 'container log {\n  cpu 1\n  memory 1GiB\n  place on s\n}\n';
  const r = checkText(text);
  const t408 = r.diagnostics.filter((d) => d.code === 'T408' && /`probe`/.test(d.message));
  assert.equal(t408.length, 1, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`)));
  assert.deepEqual(t408[0].fixes.map((f) => f.title).filter((x) => /idle/.test(x)), []);
});

test('a T408 says when the NICs are short as well, so a fix of the isolation that leaves a T400 is expected', () => {
  // r2: 3 x 25Gbps = 75Gbps. bank's vault holds m1 and m2 (dedicated); cart (2 x 20Gbps) and
  // bank's feed (2 x 20Gbps, beside vault) ask 80Gbps of the rack: isolation keeps cart out, and the NICs would keep one replica out anyway
  const text = (feed: string) => 'defaults { headroom 0 }\nrack r2 {\n  node m1..m3 { cores 16 memory 64GiB nic 25Gbps }\n}\n'
    + 'tenant bank { isolation dedicated }\n'
    + 'container vault {\n  tenant bank\n  replicas 2\n  cpu 1\n  memory 1GiB\n  spread nodes\n  place on r2\n}\n'
    + 'container cart {\n  replicas 2\n  cpu 2\n  memory 4GiB\n  network 20Gbps\n  place on r2\n}\n'
    + `container feed {\n  tenant bank\n  replicas 2\n  cpu 1\n  memory 1GiB\n  network ${feed}\n  place on r2\n}\n`;
  const cart = (t: string) => checkText(t).diagnostics.find((d) => d.code === 'T408' && /replicas of `cart`/.test(d.message));
  const short = cart(text('20Gbps'));
  assert.deepEqual(checkText(text('20Gbps')).diagnostics.map((d) => d.code), ['T408']);
  assert.ok(short, JSON.stringify(checkText(text('20Gbps')).diagnostics.map((d) => `${d.code} ${d.message}`)));
  assert.match(short.message, /The network is short there too: the containers on `r2` request 80Gbps of network bandwidth, and its active nodes' NICs carry 75Gbps together\./);
  const roomy = cart(text('5Gbps'));
  assert.ok(roomy);
  assert.doesNotMatch(roomy.message, /network is short/);
});

test('a container left with no node by a dedicated tenant is T408 even when the network is short as well', () => {
  // r2: 3 x 25Gbps. bank's vault (spread nodes, 3 replicas) takes every node; cart (3 x 20Gbps) and feed
  // (20Gbps) are out. Without isolation the 80Gbps would still not fit 75: once feed was left with no
  // reported error at all (its reason was "no active node", which no check reports).
  const text = 'defaults { headroom 0 }\nrack r2 {\n  node m1..m3 { cores 16 memory 64GiB nic 25Gbps }\n}\n'
    + 'tenant bank { isolation dedicated }\n'
    + 'container vault {\n  tenant bank\n  replicas 3\n  cpu 1\n  memory 1GiB\n  spread nodes\n  place on r2\n}\n'
    + 'container cart {\n  replicas 3\n  cpu 1\n  memory 1GiB\n  network 20Gbps\n  place on r2\n}\n'
    + 'container feed {\n  cpu 1\n  memory 1GiB\n  network 20Gbps\n  place on r2\n}\n';
  const r = checkText(text);
  const about = (name: string) => r.diagnostics.filter((d) => d.code === 'T408' && d.message.includes(`replicas of \`${name}\``));
  assert.equal(about('cart').length, 1, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`)));
  assert.equal(about('feed').length, 1, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`)));
  assert.match(about('feed')[0].message, /1 of 1 replicas of `feed` find no node: the nodes of `r2` that could hold it are set aside for a `dedicated` tenant\. The network is short there too/);
});

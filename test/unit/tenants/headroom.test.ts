import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';

/**
 * The failure headroom (T404) with tenants: the nodes left after a loss are packed as placement
 * packs them, a `vm` tenant paying its overhead on each node it comes to share and a tenant's
 * `oversubscribe` capping the nodes it comes to. Numbers by hand in each test.
 */

const VM = (overhead: number): string => `defaults { headroom 1 }
rack r1 {
  node n1..n3 { cores 8 memory 64GiB }
}
tenant shop {
  isolation vm
  overhead cpu ${overhead} memory 1GiB
}
container store {
  tenant shop
  replicas 9
  cpu 1
  memory 1GiB
  place on r1
}
container batch {
  replicas 6
  cpu 1
  memory 1GiB
  place on r1
}
`;

test('headroom counts a vm tenant\'s overhead per node it shares: 1 core still fits after a loss, 2 cores leave one replica out', () => {
  // After losing n1, two nodes of 8 cores hold 9 store + 6 batch = 15 cores of requests.
  // store (9) cannot fit one node, so it spans both; batch then shares a node with it and that
  // node pays the VM overhead. Overhead 1: n_a = 8 store, n_b = 1 store + 6 batch + 1 = 8: fits.
  const one = checkText(VM(1));
  assert.deepEqual(one.diagnostics.map((d) => d.code), []);
  assert.equal(one.placement?.targets[0].headroom.ok, true);
  // Overhead 2: every arrangement of all 15 needs 15 + 2 = 17 > 16 cores; 14 fit (8 store alone,
  // then 1 store + 5 batch + 2 = 8): one replica short.
  const two = checkText(VM(2));
  const t404 = two.diagnostics.filter((d) => d.code === 'T404');
  assert.equal(t404.length, 1, JSON.stringify(two.diagnostics.map((d) => d.message)));
  assert.match(t404[0].message, /1 of 6 replicas of `batch` no longer fit/);
  assert.match(t404[0].message, /tenant `shop` pays a VM overhead of 2 cores and 1GiB on each node it shares/);
  assert.deepEqual(two.placement?.targets[0].headroom.short, [{ container: 'batch', replicas: 1, cause: 'capacity' }]);
  // the same file without isolation fits after the loss (15 of 16 cores): no T404
  assert.deepEqual(checkText(VM(2).replace('isolation vm', 'isolation shared')).diagnostics.map((d) => d.code), []);
});

const CAP = (nodes: string, ratio: string): string => `defaults {
  headroom 1
  pack tight
  oversubscribe cpu 2.0
}
rack r1 {
  node ${nodes} { cores 8 memory 64GiB }
}
tenant strict { oversubscribe cpu ${ratio} }
container s {
  tenant strict
  replicas 2
  cpu request 1 limit 4
  memory 1GiB
  place on r1
}
container o {
  cpu request 1 limit 4
  memory 1GiB
  place on r1
}
`;

test('headroom counts a tenant\'s oversubscribe cap on the nodes it comes to, and does not pin it to the nodes it had', () => {
  // Three nodes: the tight pack puts both s on n1 (8 of 8 x 1.0 limits) and o on n2. Losing n1,
  // s moves to n3 (8 of 8 limits) and o stays on n2: everything fits, no T404.
  const three = checkText(CAP('n1..n3', '1.0'));
  assert.deepEqual(three.diagnostics.map((d) => d.code), []);
  assert.equal(three.placement?.targets[0].headroom.ok, true);
  // Two nodes: after losing n1, one node holds 2 x 4 + 4 = 12 cores of limits; with s there it
  // allows 8 x 1.0 = 8, so o (4) is left out: T404 naming the cap. Uncapped it allows 8 x 2.0 = 16.
  const two = checkText(CAP('n1..n2', '1.0'));
  const t404 = two.diagnostics.filter((d) => d.code === 'T404');
  assert.equal(t404.length, 1, JSON.stringify(two.diagnostics.map((d) => d.message)));
  assert.match(t404[0].message, /`o` no longer fits on rack `r1`: its 1 node left has 8 cores/);
  assert.match(t404[0].message, /tenant `strict` caps the CPU limits of the nodes it runs on at x 1\.0, and the containers' limits are 12 cores/);
  assert.deepEqual(checkText(CAP('n1..n2', '2.0')).diagnostics.map((d) => d.code), []);
});

const NET = (api: string): string => `rack r1 {
  node n1..n3 { cores 16 memory 64GiB nic 10Gbps }
}
container api {
  replicas 3
  cpu 2
  memory 4GiB
  network ${api}
  place on r1
}
container web {
  replicas 2
  cpu 1
  memory 1GiB
  network 1Gbps
  place on r1
}
`;

test('headroom short of network bandwidth names the NICs left, points at `network` and lists the requests', () => {
  // Three nodes of 10Gbps: api 3 x 6 + web 2 x 1 = 20Gbps fits (one api per node). Losing n1
  // leaves two NICs, 20Gbps together, but a node takes one api (6) and the webs (2): the third
  // api finds 4 and 2 free. CPU (8 of 32 cores) and memory (14 of 128GiB) are far from full.
  const text = NET('6Gbps');
  const r = checkText(text);
  const t404 = r.diagnostics.filter((d) => d.code === 'T404');
  assert.equal(t404.length, 1, JSON.stringify(r.diagnostics.map((d) => d.message)));
  const d = t404[0];
  assert.deepEqual(r.placement?.targets[0].headroom.short, [{ container: 'api', replicas: 1, cause: 'network' }]);
  const at = text.indexOf('6Gbps');
  assert.deepEqual(d.span, { start: at, end: at + '6Gbps'.length });
  assert.match(d.message, /1 of 3 replicas of `api` no longer fit on rack `r1`: the network bandwidth is short\. Its 2 nodes left have 20Gbps of `nic` together, and the containers placed on it request 20Gbps \(`api` 3 x 6Gbps, `web` 2 x 1Gbps\), but no node left has 6Gbps of it free/);
  assert.match(d.message, /lower `network` or the replicas \(headroom 1\)$/);
  assert.deepEqual(d.related.slice(1).map((x) => x.message), ['`api`: 3 x 6Gbps = 18Gbps of network bandwidth', '`web`: 2 x 1Gbps = 2Gbps of network bandwidth']);
  // 7Gbps: 23Gbps against 20Gbps, short in total (no "no node left" clause)
  const over = checkText(NET('7Gbps')).diagnostics.find((x) => x.code === 'T404');
  assert.match(over?.message ?? '', /request 23Gbps \(`api` 3 x 7Gbps, `web` 2 x 1Gbps\)\. Add a node or a spare/);
  // 3Gbps: two nodes hold 3 x 3 + 2 = 11 of 20Gbps, no T404
  assert.deepEqual(checkText(NET('3Gbps')).diagnostics.map((x) => x.code), []);
});

test('a headroom loss short of NIC bandwidth names a dedicated tenant that keeps nodes to itself', () => {
  // Four nodes of 10Gbps: bank's two 8Gbps replicas take e1 and e2 (dedicated, and two would
  // not fit one NIC), ui's four 3Gbps replicas e3 and e4. Losing e1, bank needs a node of its
  // own again: e3 or e4, and the one left carries three ui (9Gbps). One ui is short.
  const text = `rack edge {
  node e1..e4 { cores 16 memory 64GiB nic 10Gbps }
}
tenant bank { isolation dedicated }
container ui {
  replicas 4
  cpu 2
  memory 4GiB
  network 3Gbps
  place on edge
}
container core-bank {
  tenant bank
  replicas 2
  cpu 4
  memory 16GiB
  network 8Gbps
  place on edge
}
`;
  const r = checkText(text);
  assert.deepEqual(r.placement?.targets[0].headroom.short, [{ container: 'ui', replicas: 1, cause: 'network' }]);
  const d = r.diagnostics.find((x) => x.code === 'T404');
  assert.match(d?.message ?? '', /no node left has 3Gbps of it free for one more replica of `ui`.*; tenant `bank` is dedicated: its replicas take nodes of their own\. Add a node/);
});

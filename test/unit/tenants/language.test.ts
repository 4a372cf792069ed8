import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { applyEdits, completion, definition, documentSymbols, hover, references, rename, semanticTokens } from '../../../server/src/core/ide/index';
import { formatText } from '../../../server/src/core/ide/format';
import { slice, snap } from '../ide/helpers';

/** The language layer of tenants: the block, `tenant` and `network` on containers, in the binder and the ide layer. */

const GiB = 1024 ** 3, MiB = 1024 ** 2;

const PROGRAM = `defaults { headroom 0 }

rack r1 {
  node n1..n4 { cores 32 memory 256GiB nic 25Gbps }
}

tenant acme {
  isolation vm
  overhead cpu 500m memory 1GiB
  quota cpu 8 memory 32GiB
  oversubscribe cpu 1.5
}

tenant bank { isolation dedicated }

container web {
  tenant acme
  replicas 2
  cpu 2
  memory 4GiB
  network 2Gbps
  place on r1
}

container ledger {
  tenant bank
  cpu 1
  memory 1GiB
  place on r1
}
`;

test('the binder reads a tenant block and a container\'s tenant and network', () => {
  const r = checkText(PROGRAM);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  const [acme, bank] = r.model.tenants;
  assert.equal(acme.name, 'acme');
  assert.equal(acme.isolation, 'vm');
  assert.deepEqual(acme.overhead, { cpu: 0.5, memory: 1 * GiB });
  assert.deepEqual(acme.quota, { cpu: 8, memory: 32 * GiB });
  assert.deepEqual(acme.oversubscribe, { cpu: 1.5, memory: null });
  assert.equal(bank.isolation, 'dedicated');
  // the defaults of the schema: overhead cpu 250m memory 512MiB, no quota, no cap
  assert.deepEqual(bank.overhead, { cpu: 0.25, memory: 512 * MiB });
  assert.equal(bank.quota, null);
  assert.equal(bank.oversubscribe, null);
  const web = r.model.containers.find((c) => c.name === 'web');
  assert.equal(web?.tenant, 0);
  assert.equal(web?.network, 2e9 / 8);
  const ledger = r.model.containers.find((c) => c.name === 'ledger');
  assert.equal(ledger?.tenant, 1);
  assert.equal(ledger?.network, 0);
  const plain = checkText('container x { cpu 1 }').model.containers[0];
  assert.equal(plain.tenant, null);
});

test('an unknown tenant is T200 with a did-you-mean and a fix; a container named as a tenant is T202', () => {
  const text = PROGRAM.replace('tenant acme\n', 'tenant acmee\n');
  const r = checkText(text);
  const d = r.diagnostics.find((x) => x.code === 'T200');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(text.slice(d.span.start, d.span.end), 'acmee');
  assert.match(d.message, /unknown tenant `acmee`\. Did you mean `acme`\?/);
  const fixed = applyEdits(text, d.fixes?.[0]?.edits ?? []);
  assert.equal(fixed, PROGRAM);
  const wrong = checkText(PROGRAM.replace('tenant bank\n', 'tenant web\n'));
  const w = wrong.diagnostics.find((x) => x.code === 'T202');
  assert.ok(w);
  assert.match(w.message, /`web` is a container, not a tenant/);
  // a tenant named as a target is T202 too (it used to resolve as a rack and crash the simulator)
  const asTarget = PROGRAM.replace('place on r1\n}\n\ncontainer ledger', 'place on acme\n}\n\ncontainer ledger');
  const t = checkText(asTarget);
  assert.deepEqual(t.diagnostics.map((x) => x.code), ['T202'], JSON.stringify(t.diagnostics));
  assert.equal(asTarget.slice(t.diagnostics[0].span.start, t.diagnostics[0].span.end), 'acme');
  assert.match(t.diagnostics[0].message, /`acme` is a tenant, not a place to run on: .*write `tenant acme`/);
  assert.equal(t.model.containers.find((c) => c.name === 'web')?.target, null);
  // tenants share the namespace of racks, SDSs and containers
  const dup = checkText(PROGRAM.replace('tenant bank {', 'tenant web {'));
  assert.ok(dup.diagnostics.some((x) => x.code === 'T201' && /duplicate name `web`/.test(x.message)));
});

test('values are checked: isolation is one of three words, network is a bandwidth, quota a quantity', () => {
  const codes = (t: string): string[] => checkText(t).diagnostics.map((d) => d.code);
  assert.ok(codes(PROGRAM.replace('isolation vm', 'isolation vms')).length > 0);
  assert.deepEqual(codes(PROGRAM.replace('network 2Gbps', 'network 2GiB')), ['T301']);
  assert.deepEqual(codes(PROGRAM.replace('network 2Gbps', 'network 2')), ['T300']);
  assert.deepEqual(codes(PROGRAM.replace('quota cpu 8', 'quota cpu 0')), ['T302']);
  assert.deepEqual(codes(PROGRAM.replace('quota cpu 8', 'quota cpus 8')), ['T100']);
  assert.deepEqual(codes(PROGRAM.replace('oversubscribe cpu 1.5', 'oversubscribe cpu -1')), ['T302']);
  assert.deepEqual(codes(PROGRAM.replace('tenant acme\n', 'tenant r1.n1\n')), ['T202']);
  assert.deepEqual(codes(PROGRAM.replace('tenant acme\n', 'tenant\n')), ['T100']);
});

test('definition, references and rename of a tenant name', () => {
  const { s } = snap(PROGRAM);
  const decl = PROGRAM.indexOf('tenant acme {') + 7;
  const use = PROGRAM.indexOf('tenant acme\n') + 7;
  assert.deepEqual(definition(s, use).map((l) => l.span.start), [decl]);
  assert.deepEqual(references(s, decl, true).map((l) => l.span.start).sort((a, b) => a - b), [decl, use]);
  const r = rename(s, use, 'globex');
  assert.ok(!('error' in r));
  const renamed = applyEdits(PROGRAM, r.edits);
  assert.equal(renamed, PROGRAM.replaceAll('tenant acme', 'tenant globex'));
  assert.deepEqual(checkText(renamed).diagnostics, []);
});

test('semantic tokens: the tenant keyword, its declaration and its uses', () => {
  const { s } = snap(PROGRAM);
  const toks = semanticTokens(s);
  const show = (needle: string, delta = 0): string => {
    const start = PROGRAM.indexOf(needle) + delta;
    const t = toks.find((x) => x.span.start === start);
    return t ? `${slice(s, t.span)}:${t.type}${t.modifiers.includes('declaration') ? '+decl' : ''}` : 'none';
  };
  assert.equal(show('tenant acme {'), 'tenant:keyword');
  assert.equal(show('tenant acme {', 7), 'acme:tenant+decl');
  assert.equal(show('tenant acme\n', 7), 'acme:tenant');
  assert.equal(show('tenant acme\n'), 'tenant:property');
  assert.equal(show('isolation vm', 10), 'vm:enumMember');
  assert.equal(show('network 2Gbps'), 'network:property');
});

test('completion: the tenant block at top level, its properties, isolation values, tenants after `tenant`', () => {
  const labels = (text: string): string[] => { const { s, offset } = snap(text); return completion(s, offset).map((x) => x.label); };
  assert.ok(labels('|').includes('tenant'));
  const inTenant = labels('tenant t {\n  |\n}\n');
  for (const p of ['isolation', 'overhead', 'quota', 'oversubscribe']) assert.ok(inTenant.includes(p), `${p} in ${inTenant.join(',')}`);
  assert.deepEqual(labels('tenant t {\n  isolation |\n}\n').sort(), ['dedicated', 'shared', 'vm']);
  const afterTenant = labels(PROGRAM.replace('tenant acme\n', 'tenant |\n'));
  assert.deepEqual(afterTenant.sort(), ['acme', 'bank']);
  const inContainer = labels('container c {\n  |\n}\n');
  assert.ok(inContainer.includes('tenant') && inContainer.includes('network'), inContainer.join(','));
  assert.ok(labels('container c {\n  network 2|\n}\n').includes('2Gbps'));
});

test('hover on a tenant shows its isolation and its requests against its quota', () => {
  const { s } = snap(PROGRAM);
  const h = hover(s, PROGRAM.indexOf('tenant acme\n') + 8);
  assert.ok(h);
  const md = h.contents;
  assert.match(md, /\*\*tenant\*\* `acme` — isolation vm/);
  // web: 2 replicas x 2 cores = 4 of 8; 2 x 4GiB = 8GiB of 32GiB
  assert.match(md, /\| CPU \| 4 cores \| 8 cores \(50%\) \|/);
  assert.match(md, /\| memory \| 8GiB \| 32GiB \(25%\) \|/);
  assert.match(md, /Containers: `web`/);
  const hk = hover(s, PROGRAM.indexOf('tenant acme {') + 2);
  assert.ok(hk && /tenant/.test(hk.contents));
});

test('the formatter lays out a tenant block as any other', () => {
  const messy = 'tenant   acme{isolation vm\n      quota cpu 8    memory 32GiB}\ncontainer c { tenant   acme\n network    1Gbps }\n';
  const out = formatText(messy, '/work/main.topo', { tabSize: 2, insertSpaces: true });
  assert.equal(out, 'tenant acme {\n  isolation vm\n  quota cpu 8 memory 32GiB\n}\ncontainer c {\n  tenant acme\n  network 1Gbps\n}\n');
});

test('the outline lists tenants with their isolation and quota', () => {
  const { s } = snap(PROGRAM);
  const syms = documentSymbols(s).filter((x) => x.kind === 'tenant').map((x) => `${x.name}: ${x.detail ?? ''}`);
  assert.deepEqual(syms, ['acme: isolation vm · quota 8 cpu, 32GiB', 'bank: isolation dedicated']);
});

test('hover on a node lists the tenants of the replicas placed there', () => {
  // bank is dedicated: it takes one node (n1, declared first, which no one else needs more), acme's two replicas the other
  const text = PROGRAM.replace('node n1..n4 { cores 32 memory 256GiB nic 25Gbps }', 'node n1 { cores 32 memory 256GiB }\n  node n2 { cores 32 memory 256GiB }');
  const { s } = snap(text);
  const at = (n: string): string => hover(s, text.indexOf(`node ${n}`) + 5)?.contents ?? '';
  assert.match(at('n1'), /- tenants: `bank` \(1 replica\)$/m);
  assert.match(at('n2'), /- tenants: `acme` \(2 replicas\)$/m);
});

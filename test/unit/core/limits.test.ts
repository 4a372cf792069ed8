import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { validFile } from './large-files';
import { completion, documentSymbols, foldingRanges, format, hover, selectionRanges, semanticTokens } from '../../../server/src/core/ide/index';

// Pathological inputs get a clear diagnostic and finish (the timeouts guard against hangs only).
const guard = { timeout: 30_000 };

test('100,000 nodes in one range: T203 naming the limit, nothing expanded', guard, () => {
  const r = checkText('rack r1 { node n1..n100000 { cores 4 memory 8GiB } }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T203']);
  assert.match(r.diagnostics[0].message, /100000 nodes in one range is more than the 10000 supported/);
  assert.equal(r.model.nodes.length, 0);
});

test('a 10 PiB node and a million replicas bind to exact numbers', guard, () => {
  const r = checkText('rack r1 { node n1 { cores 4 memory 10PiB } }\ncontainer c { replicas 1000000 cpu 1m memory 1MiB place on r1 }');
  assert.deepEqual(r.diagnostics.filter((d) => /^T[123]/.test(d.code)), []);
  assert.equal(r.model.nodes[0].memory, 10 * 1024 ** 5);
  assert.equal(r.model.containers[0].replicas, 1_000_000);
});

test('more replicas than the language allows is out of range', guard, () => {
  const r = checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c { replicas 100000000 place on r1 }');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T302']);
  // The limit is a million, for a container and for a `scale` event: ten million is a T302, at once.
  const started = performance.now();
  const ten = checkText('rack r1 { node n1..n3 { cores 4 memory 8GiB } }\ncontainer c { replicas 10000000 place on r1 }\nscenario s { at 1s scale c to 1000001 }');
  assert.ok(performance.now() - started < 1000, 'refused without placing ten million replicas');
  assert.deepEqual(ten.diagnostics.map((d) => d.code), ['T302', 'T302']);
  assert.match(ten.diagnostics[0].message, /from 1 to 1000000/); // `replicas 0` is T302 too (issue 15)
  assert.deepEqual(checkText('rack r1 { node n1..n3 { cores 4 memory 8GiB } }\ncontainer c { replicas 1000000 place on r1 }').diagnostics.map((d) => d.code), []);
});

test('a 10 MB line is one diagnostic, not a crash', guard, () => {
  const text = `rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c { image "${'x'.repeat(10 * 1024 * 1024)}" place on r1 bogus }`;
  const r = checkText(text);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T104'], 'the stray word after the target: an unknown property (issue 18)');
});

test('100,000 unmatched braces and deep junk give bounded diagnostics', guard, () => {
  const r = checkText(`${'{'.repeat(100_000)}\nrack r1 { node n1 { cores 4 memory 8GiB } }`);
  assert.ok(r.diagnostics.length >= 1 && r.diagnostics.length < 10, `${r.diagnostics.length} diagnostics`);
  const r2 = checkText('}'.repeat(100_000));
  assert.ok(r2.diagnostics.length > 0);
});

test('an enormous number is out of range, not Infinity', guard, () => {
  const r = checkText(`rack r1 { node n1 { cores ${'9'.repeat(400)} memory 8GiB } }`);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T302']);
});

test('a self-import is a cycle (T204)', guard, () => {
  const r = checkText('import "main.topo"\nrack r1 { node n1 { cores 4 memory 8GiB } }', '/w/main.topo');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['T204']);
  assert.match(r.diagnostics[0].message, /cyclic import: main.topo -> main.topo/);
});

const within = (ms: number, what: string, f: () => void): void => {
  const t0 = performance.now();
  f();
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what} took ${Math.round(took)} ms (bound ${ms} ms)`);
};

test('a million replicas on a rack are packed in bounded time: T400 says how many do not fit', guard, () => {
  within(15_000, 'packing a million replicas', () => {
    const r = checkText('rack r1 { node n1..n4 { cores 64 memory 1TiB } }\ncontainer c { replicas 1000000 cpu 1m memory 1MiB place on r1 }');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
    assert.match(r.diagnostics[0].message, /^744000 of 1000000 replicas of `c` fit on no node/);
    const spread = checkText('rack r1 { node n1..n100 { cores 64 memory 1TiB } }\ncontainer c { replicas 1000000 cpu 1m memory 1MiB spread nodes place on r1 }');
    assert.deepEqual(spread.diagnostics.map((d) => d.code), ['T405']);
    assert.match(spread.diagnostics[0].message, /1000000 replicas with `spread nodes`, but `r1` has only 100 active nodes/);
  });
});

test('a 10 PiB node holds exactly 10 PiB: T402 at the allowance, T403 and T400 one PiB over', guard, () => {
  const full = checkText('rack r1 { node n1 { cores 4 memory 10PiB } }\ncontainer c { memory 10PiB cpu 1 place on r1 }');
  assert.deepEqual(full.diagnostics.map((d) => d.code), ['T402']);
  assert.match(full.diagnostics[0].message, /allows 10PiB of memory limits .* ask for 10PiB/);
  const over = checkText('rack r1 { node n1 { cores 4 memory 10PiB } }\ncontainer c { memory 11PiB cpu 1 place on r1 }');
  assert.deepEqual(over.diagnostics.map((d) => d.code), ['T403']);
  assert.match(over.diagnostics[0].message, /memory request of 11PiB; the largest node has 10PiB/);
  const sds = checkText('rack r1 { node n1 { cores 4 memory 10PiB } }\nsds s { nodes r1.n1 }\ncontainer c { memory 11PiB cpu 1 place on s }');
  assert.deepEqual(sds.diagnostics.map((d) => d.code), ['T400']);
  assert.match(sds.diagnostics[0].message, /SDS `s` has 10PiB of memory .* request 11PiB/);
});

test('100,000 nodes in ten ranges of 10,000 bind and pack in bounded time', guard, () => {
  let src = '';
  for (let r = 0; r < 10; r++) src += `rack r${r} { node n1..n10000 { cores 8 memory 64GiB } }\n`;
  src += 'container c { replicas 100000 cpu 1 memory 1GiB place on r0 }\n';
  within(15_000, 'checking 100,000 nodes', () => {
    const r = checkText(src);
    assert.equal(r.model.nodes.length, 100_000);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['T400']);
    assert.match(r.diagnostics[0].message, /^20000 of 100000 replicas of `c` fit on no node/);
  });
});

test('10,000 nested `{` inside a block: one diagnostic, and every ide feature answers', guard, () => {
  const text = `rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer c {\n${'{'.repeat(10_000)}\n${'}'.repeat(10_000)}\n  place on r1\n}\n`;
  within(5_000, 'checking and serving 10,000 nested braces', () => {
    const r = checkText(text);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['T100']);
    assert.match(r.diagnostics[0].message, /expected a property of the container block, found `\{`/);
    const s = { file: '/work/main.topo', text, check: r, simulation: null };
    const mid = text.length >> 1;
    assert.deepEqual(format(text, s.file, { tabSize: 2, insertSpaces: true }), [], 'text with syntax errors is left alone');
    assert.ok(documentSymbols(s).length === 2);
    assert.ok(semanticTokens(s).length > 0);
    assert.ok(foldingRanges(s).length > 0);
    assert.ok(selectionRanges(s, [mid])[0].length > 0);
    completion(s, mid);
    hover(s, mid);
  });
});

test('a 5 MB file of valid declarations is checked in bounded time with no diagnostics', { timeout: 60_000 }, () => {
  const { text, racks } = validFile(5 * 1024 * 1024);
  within(30_000, 'checking 5 MB', () => {
    const r = checkText(text);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.model.racks.length, racks);
    assert.equal(r.model.nodes.length, racks * 4);
    assert.equal(r.model.containers.length, racks);
  });
});

test('cyclic imports a -> b -> a and a -> b -> c -> a are T204 naming the chain; a diamond is not a cycle', guard, () => {
  const rack = (n: string): string => `rack ${n} { node n1 { cores 4 memory 8GiB } }\n`;
  const two = checkText(`import "b.topo"\n${rack('ra')}`, '/w/a.topo', new Map([['/w/b.topo', `import "a.topo"\n${rack('rb')}`]]));
  assert.deepEqual(two.diagnostics.map((d) => d.code), ['T204']);
  assert.match(two.diagnostics[0].message, /cyclic import: a\.topo -> b\.topo -> a\.topo/);
  assert.equal(two.diagnostics[0].file, '/w/b.topo', 'on the import that closes the cycle');
  assert.deepEqual(two.model.racks.map((r) => r.name).sort(), ['ra', 'rb'], 'each file once');
  const three = checkText(`import "b.topo"\n${rack('ra')}`, '/w/a.topo', new Map([
    ['/w/b.topo', `import "sub/c.topo"\n${rack('rb')}`],
    ['/w/sub/c.topo', `import "../a.topo"\n${rack('rc')}`],
  ]));
  assert.deepEqual(three.diagnostics.map((d) => d.code), ['T204']);
  assert.match(three.diagnostics[0].message, /cyclic import: a\.topo -> b\.topo -> c\.topo -> a\.topo/);
  const diamond = checkText(`import "b.topo"\nimport "c.topo"\n${rack('ra')}`, '/w/a.topo', new Map([
    ['/w/b.topo', `import "d.topo"\n${rack('rb')}`],
    ['/w/c.topo', `import "d.topo"\n${rack('rc')}`],
    ['/w/d.topo', rack('rd')],
  ]));
  assert.deepEqual(diamond.diagnostics, []);
  assert.deepEqual(diamond.model.racks.map((r) => r.name).sort(), ['ra', 'rb', 'rc', 'rd']);
});

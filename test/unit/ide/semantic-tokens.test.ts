import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semanticTokens } from '../../../server/src/core/ide/index';
import { SPEC_EXAMPLE, slice, snap } from './helpers';

test('semantic tokens classify declarations, references, keywords, properties, units and enums', () => {
  const { s } = snap(SPEC_EXAMPLE);
  const toks = semanticTokens(s);
  const show = (needle: string, delta = 0, len = 0): string => {
    const start = s.text.indexOf(needle) + delta;
    const t = toks.find((x) => x.span.start === start && (len === 0 || x.span.end - x.span.start === len));
    return t ? `${slice(s, t.span)}:${t.type}${t.modifiers.includes('declaration') ? '+decl' : ''}` : 'none';
  };
  assert.equal(show('rack r1'), 'rack:keyword');
  assert.equal(show('rack r1', 5), 'r1:rack+decl');
  assert.equal(show('n1..n4 {'), 'n1:node+decl');
  assert.equal(show('n1..n4 {', 4), 'n4:node+decl');
  assert.equal(show('sds pod1', 4), 'pod1:sds+decl');
  assert.equal(show('nodes r1.n1', 6), 'r1:rack');
  assert.equal(show('nodes r1.n1', 9), 'n1:node');
  assert.equal(show('place on pod1', 9), 'pod1:sds');
  assert.equal(show('place on r2', 9), 'r2:rack');
  assert.equal(show('place on pod1', 6), 'on:keyword');
  assert.equal(show('talks cache', 6), 'cache:container');
  assert.equal(show('container cache', 10), 'cache:container+decl');
  assert.equal(show('io r1.n2.nvme0', 9), 'nvme0:device');
  assert.equal(show('disk nvme0', 5), 'nvme0:device+decl');
  assert.equal(show('256GiB'), '256:number');
  assert.equal(show('256GiB', 3), 'GiB:unit');
  assert.equal(show('role spare', 5), 'spare:enumMember');
  assert.equal(show('spread nodes'), 'spread:property');
  assert.equal(show('spread nodes', 7), 'nodes:enumMember');
  assert.equal(show('request 500m'), 'request:keyword');
  assert.equal(show('500m', 3), 'm:unit');
  assert.equal(show('"lose a node"'), '"lose a node":scenario+decl');
  assert.equal(show('fail r1'), 'fail:keyword');
  assert.equal(show('to pod1', 3), 'pod1:sds');
  assert.equal(show('# larger'), '# larger than any node: only an SDS can hold it:comment');
});

test('semantic tokens are sorted, non-overlapping and single-line, also on broken text', () => {
  for (const text of [SPEC_EXAMPLE, 'rack r1 {\n  node n1..n { cores 4x memory\n', 'container c { place on nowhere.x.y.z talks ??? }', '"unterminated\n}}}{']) {
    const { s } = snap(text.replace('|', ''));
    const toks = semanticTokens(s);
    let end = 0;
    for (const t of toks) {
      assert.ok(t.span.start >= end, 'sorted and non-overlapping');
      assert.ok(t.span.end > t.span.start);
      assert.ok(!s.text.slice(t.span.start, t.span.end).includes('\n'));
      end = t.span.end;
    }
  }
  const { s } = snap('container c { place on nowhere }');
  const t = semanticTokens(s).find((x) => slice(s, x.span) === 'nowhere');
  assert.equal(t?.type, 'variable');
});

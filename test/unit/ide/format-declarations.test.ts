import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/check';
import { applyEdits, format } from '../../../server/src/core/ide/index';
import { formatText } from '../../../server/src/core/ide/format';
import { meaning } from './helpers';

/** Issue 18: formatting with syntax errors formats what parsed; one property per line in a block that spans lines. */

const OPTIONS = { tabSize: 2, insertSpaces: true };
const F = '/work/a.topo';
const fmt = (text: string): string => applyEdits(text, format(text, F, OPTIONS));

test('one property per line in a block that spans lines; a block on one line stays on one line', () => {
  assert.equal(
    fmt('sds pod1 {\n  nodes r1.n1..n4\n  reserve cores 1 memory 8GiB policy cost\n}\n'),
    'sds pod1 {\n  nodes r1.n1..n4\n  reserve cores 1 memory 8GiB\n  policy cost\n}\n',
  );
  assert.equal(
    fmt('container web {\n  replicas 2 cpu request 500m limit 1   # sizes\n  memory 1GiB; place on r1\n}\n'),
    'container web {\n  replicas 2\n  cpu request 500m limit 1   # sizes\n  memory 1GiB;\n  place on r1\n}\n',
  );
  // a block on one line is one unit: its properties stay together
  assert.deepEqual(format('rack r1 {\n  node n1..n4 { cores 32 memory 256GiB }\n}\n', F, OPTIONS), []);
  // `talks memory` names a container called memory: the word after `talks` is not a property
  const named = 'container memory { cpu 1 memory 1GiB place on r1 }\ncontainer web {\n  talks memory weight 10% cpu 1\n  memory 1GiB place on r1\n}\nrack r1 { node n1 { cores 8 memory 32GiB } }\n';
  const out = fmt(named);
  assert.equal(out, 'container memory { cpu 1 memory 1GiB place on r1 }\ncontainer web {\n  talks memory weight 10%\n  cpu 1\n  memory 1GiB\n  place on r1\n}\nrack r1 { node n1 { cores 8 memory 32GiB } }\n');
  assert.equal(meaning(checkText(out, F)), meaning(checkText(named, F)));
  assert.equal(fmt(out), out, 'idempotent');
});

const BROKEN = `# capacity
rack r1 {
node n1..n4 { cores 32 memory 256GiB }
      }

sds pod1 {
    nodes r1.n1..n4
  reserve cores 1 memory 8GiB policy cost
}

container   broken {
   cpu 1 memory "8GiB
     place on pod1
}

# the web tier
container web {
cpu 1    # one core
     memory 1GiB
  place   on pod1
}
`;

test('with a syntax error, every declaration that parsed is formatted and the broken one is kept byte for byte', () => {
  assert.equal(formatText(BROKEN, F, OPTIONS), null, 'the CLI still refuses the file');
  const out = fmt(BROKEN);
  assert.equal(out, `# capacity
rack r1 {
  node n1..n4 { cores 32 memory 256GiB }
}

sds pod1 {
  nodes r1.n1..n4
  reserve cores 1 memory 8GiB
  policy cost
}

container   broken {
   cpu 1 memory "8GiB
     place on pod1
}

# the web tier
container web {
  cpu 1    # one core
  memory 1GiB
  place on pod1
}
`);
  const brokenBlock = BROKEN.slice(BROKEN.indexOf('container   broken'), BROKEN.indexOf('# the web tier'));
  assert.ok(out.includes(brokenBlock), 'the broken declaration is unchanged, byte for byte');
  assert.equal(fmt(out), out, 'idempotent');
  assert.deepEqual(format(out, F, OPTIONS), []);
  const before = checkText(BROKEN, F);
  const after = checkText(out, F);
  assert.deepEqual(after.diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code));
  assert.equal(meaning(after), meaning(before));
});

test('with a syntax error the edits touch only the declarations that parsed; comments are kept', () => {
  const edits = format(BROKEN, F, OPTIONS);
  assert.ok(edits.length > 0);
  const broken = { start: BROKEN.indexOf('container   broken'), end: BROKEN.indexOf('# the web tier') };
  for (const e of edits) assert.ok(e.span.end <= broken.start || e.span.start >= broken.end, `an edit touches the broken declaration: ${JSON.stringify(e)}`);
  const comments = (t: string) => t.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')));
  assert.deepEqual(comments(fmt(BROKEN)), comments(BROKEN));
  // the broken declaration first, last, or alone
  assert.equal(fmt('container x {\n  cpu "1\n}\nrack r {\nnode n { cores 1 memory 1GiB }\n}\n'), 'container x {\n  cpu "1\n}\nrack r {\n  node n { cores 1 memory 1GiB }\n}\n');
  assert.equal(fmt('rack r {\nnode n { cores 1 memory 1GiB }\n}\ncontainer x {\n   cpu 1..\n'), 'rack r {\n  node n { cores 1 memory 1GiB }\n}\ncontainer x {\n   cpu 1..\n');
  assert.deepEqual(format('rack r1 {\n   node {{\n', F, OPTIONS), []);
});

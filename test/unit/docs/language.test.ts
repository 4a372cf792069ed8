import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkText } from '../../../server/src/core/check';
import { DIAGNOSTIC_SEVERITY, type DiagnosticCode } from '../../../server/src/core/diagnostics';
import { hover } from '../../../server/src/core/ide/index';
import type { BlockKind } from '../../../server/src/core/syntax/ast';
import { BLOCK_DOCS, PROPERTIES } from '../../../server/src/core/syntax/schema';
import { UNITS } from '../../../server/src/core/model/units';
import { blockReference, codeReference, LANGUAGE_REFERENCE_URL, propertyReference } from '../../../server/src/core/reference';
import { isExpectationLine } from '../fixture-format';
import { anchorOf, codeSpans, parseMarkdown, sectionOf, type Heading, type Section } from './markdown';
import { runExample } from './doc-examples';

/**
 * docs/language.md, the language reference, against the code: every code of diagnostics.ts and
 * every property of schema.ts has its entry (the lists come from those modules, so adding one
 * without documenting it fails here), every example in it does what it says, every default it
 * states is the binder's, and every link to it (hover, LSP codeDescription, walkthrough) lands
 * on an anchor that exists.
 */

const repo = resolve(__dirname, '../../..');
const DOC_PATH = join(repo, 'docs/language.md');
const text = readFileSync(DOC_PATH, 'utf8');
const doc = parseMarkdown(text);
const CODES = Object.keys(DIAGNOSTIC_SEVERITY) as DiagnosticCode[];
const BLOCKS = Object.keys(PROPERTIES) as BlockKind[];
const anchors = new Set(doc.headings.map((h) => h.anchor));

function heading(level: number, title: string): Heading | undefined {
  return doc.headings.find((h) => h.level === level && h.text === title);
}

function section(level: number, title: string): Section {
  const h = heading(level, title);
  assert.ok(h, `docs/language.md has no heading "${'#'.repeat(level)} ${title}"`);
  return sectionOf(doc, h);
}

const DIAGNOSTICS = section(2, 'Diagnostics');

function codeSection(code: string): Section {
  const h = doc.headings.find((x) => x.level === 3 && x.text === code && x.line > DIAGNOSTICS.heading.line && x.line < DIAGNOSTICS.end);
  assert.ok(h, `docs/language.md has no section "### ${code}" under "## Diagnostics": add one (see the comment at the top of the file)`);
  return sectionOf(doc, h);
}

function propertySection(block: BlockKind, name: string): Section {
  const b = section(2, `\`${block}\``);
  const h = doc.headings.find((x) => x.level === 3 && x.text === `${block} \`${name}\`` && x.line > b.heading.line && x.line < b.end);
  assert.ok(h, `docs/language.md has no section "### ${block} \`${name}\`" in "## \`${block}\`": add one (see the comment at the top of the file)`);
  return sectionOf(doc, h);
}

/** The entry of a property, or undefined (its own test reports a missing one). */
function propertyEntry(block: BlockKind, name: string): Section | undefined {
  const b = heading(2, `\`${block}\``);
  if (!b) return undefined;
  const end = sectionOf(doc, b).end;
  const h = doc.headings.find((x) => x.level === 3 && x.text === `${block} \`${name}\`` && x.line > b.line && x.line < end);
  return h ? sectionOf(doc, h) : undefined;
}

/** The text after `- **Label:**` in a section, or undefined. */
function item(s: Section, ...labels: string[]): string | undefined {
  for (const line of s.body.split('\n')) {
    for (const label of labels) {
      const prefix = `- **${label}:**`;
      if (line.startsWith(prefix)) return line.slice(prefix.length).trim();
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- structure

test('headings have distinct anchors (links to them are stable)', () => {
  const seen = new Map<string, number>();
  for (const h of doc.headings) {
    assert.ok(!seen.has(h.anchor), `"${h.text}" (line ${h.line + 1}) has the anchor #${h.anchor} of line ${(seen.get(h.anchor) ?? 0) + 1}`);
    seen.set(h.anchor, h.line);
  }
});

test('the source says how to add an entry', () => {
  assert.match(text, /^<!--[\s\S]*How to keep this reference complete[\s\S]*-->/);
});

test('every link inside the document lands on a heading', () => {
  const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length > 20);
  assert.deepEqual(links.filter((a) => !anchors.has(a)), []);
});

// ---------------------------------------------------------------- diagnostics

test('every diagnostic code has an entry with its severity, and the table lists it', () => {
  for (const code of CODES) {
    const s = codeSection(code);
    const first = s.body.split('\n').find((l) => l.trim() !== '') ?? '';
    assert.ok(first.startsWith(`**${DIAGNOSTIC_SEVERITY[code]}** — `), `### ${code} must start with "**${DIAGNOSTIC_SEVERITY[code]}** — ", found: ${first}`);
    const row = DIAGNOSTICS.body.split('\n').find((l) => l.startsWith(`| [${code}](#${code.toLowerCase()}) |`));
    assert.ok(row, `the table of "## Diagnostics" has no row for ${code}`);
    assert.equal(row.split('|')[2].trim(), DIAGNOSTIC_SEVERITY[code], `severity of ${code} in the table`);
  }
});

test('no entry for a code that does not exist', () => {
  const documented = doc.headings.filter((h) => h.level === 3 && h.line > DIAGNOSTICS.heading.line && h.line < DIAGNOSTICS.end).map((h) => h.text);
  assert.deepEqual(documented.filter((c) => !(CODES as string[]).includes(c)), []);
  assert.deepEqual(documented, [...documented].sort(), 'codes in order');
});

for (const code of CODES) {
  test(`the example of ${code} produces exactly ${code}, where it is marked`, () => {
    const s = codeSection(code);
    const blocks = s.blocks.filter((b) => b.lang === 'topo');
    assert.ok(blocks.length > 0, `### ${code} has no \`\`\`topo example`);
    for (const b of blocks) {
      const r = runExample(b.code);
      assert.ok(r.expected.length > 0, `the example at line ${b.line + 1} marks no diagnostic`);
      assert.deepEqual(r.expected.filter((e) => !e.startsWith(`${code} `)), [], `the example of ${code} (line ${b.line + 1}) may mark only ${code}`);
      assert.deepEqual(r.actual, r.expected, `example at docs/language.md:${b.line + 1}; what the core reports:\n${r.annotated}`);
      if (/^T5/.test(code)) assert.ok(r.simulated, 'a T5xx example has no errors, so it is simulated');
    }
  });
}

// ---------------------------------------------------------------- every example

test('every topo example in the document checks (and simulates) as annotated', () => {
  const blocks = doc.blocks.filter((b) => b.lang === 'topo');
  assert.ok(blocks.length >= CODES.length + BLOCKS.length);
  const failures: string[] = [];
  for (const b of blocks) {
    const r = runExample(b.code);
    if (JSON.stringify(r.actual) !== JSON.stringify(r.expected)) failures.push(`docs/language.md:${b.line + 1}: expected ${JSON.stringify(r.expected)}, the core reports ${JSON.stringify(r.actual)}:\n${r.annotated}`);
  }
  assert.deepEqual(failures, []);
});

test('every code block is a topo example, or a shell or plain one', () => {
  assert.deepEqual(doc.blocks.filter((b) => !['topo', 'sh', 'text'].includes(b.lang)).map((b) => `line ${b.line + 1}: "${b.lang}"`), []);
});

test('the complete example is examples/spec-example.topo, and that file says so', () => {
  const s = section(2, 'A complete example');
  const [b] = s.blocks.filter((x) => x.lang === 'topo');
  assert.ok(b);
  const file = readFileSync(join(repo, 'examples/spec-example.topo'), 'utf8');
  const strip = (t: string) => t.split('\n').filter((l) => !isExpectationLine(l)).join('\n').trim();
  const body = file.split('\n').filter((l, i) => !(i < 2 && /docs\/language\.md|kept exactly/.test(l))).join('\n');
  assert.equal(strip(b.code), strip(body));
  assert.match(file.split('\n')[0], /docs\/language\.md/);
});

test('the numbers the Capacity section states are the ones placement computes', () => {
  const totals = (title: string) => {
    const [b] = section(3, title).blocks.filter((x) => x.lang === 'topo');
    const t = checkText(b.code).placement?.targets[0];
    assert.ok(t, title);
    return { capacity: t.capacity, allowance: t.allowance, requested: t.requested, limited: t.limited };
  };
  const GiB = 1024 ** 3;
  const a = totals('The oversubscription allowance');
  assert.deepEqual([a.capacity.cpu, a.requested.cpu, a.allowance.cpu, a.limited.cpu], [32, 3, 64, 24]);
  assert.match(section(3, 'The oversubscription allowance').body, /32 cores \(the 6 replicas request 3\) and allows 64 cores of limits \(they\nask for 24\)/);
  const s = totals('Software-defined servers: one machine');
  assert.deepEqual([s.capacity.cpu, s.capacity.memory / GiB], [124, 992]);
  assert.match(section(3, 'Software-defined servers: one machine').body, /= 124 cores and 4 x \(256 - 8\) = 992 GiB/);
});

// ---------------------------------------------------------------- blocks and properties

test('every block has a section with an example', () => {
  for (const kind of [...Object.keys(BLOCK_DOCS)] as (BlockKind | 'import')[]) {
    const s = section(2, `\`${kind}\``);
    assert.ok(s.blocks.some((b) => b.lang === 'topo'), `## \`${kind}\` has no example`);
  }
});

test('no property section for a property that does not exist', () => {
  const extra: string[] = [];
  for (const h of doc.headings) {
    const m = /^(\w+) `([^`]+)`$/.exec(h.text);
    if (h.level !== 3 || !m) continue;
    const props = PROPERTIES[m[1] as BlockKind];
    if (!props || !props.some((p) => p.name === m[2])) extra.push(h.text);
  }
  assert.deepEqual(extra, []);
});

for (const block of BLOCKS) {
  for (const prop of PROPERTIES[block]) {
    test(`${block} \`${prop.name}\` has an entry: syntax, values, default and a checked example`, () => {
      const s = propertySection(block, prop.name);
      assert.ok(s.body.includes(`\`${prop.name}`), 'the entry writes the property');
      const values = item(s, 'Values');
      assert.ok(values, '- **Values:** is missing');
      assert.ok(item(s, 'Default') !== undefined, '- **Default:** is missing');
      // every word the schema's syntax writes (a choice `active|spare`, a sub-keyword `request`, an optional `[even]`) is named in code
      const named = new Set(codeSpans(s.body).flatMap((span) => span.split(/[\s|.,[\]]+/)));
      for (const word of prop.syntax.match(/\b[a-z][\w-]*\b/g) ?? []) {
        assert.ok(named.has(word), `the entry of ${block} ${prop.name} does not name \`${word}\` (of \`${prop.syntax}\`) in code`);
      }
      const examples = codeSpans(item(s, 'Example', 'Examples') ?? '');
      assert.ok(examples.length > 0, '- **Example:** is missing');
      for (const ex of examples) {
        assert.ok(ex.split(/\s/)[0] === prop.name, `the example \`${ex}\` must start with \`${prop.name}\``);
        assert.deepEqual(bindErrors(withProperty(block, ex)), [], `the example \`${ex}\` in a ${block}`);
      }
    });
  }
}

test('every unit is in the units table', () => {
  const s = section(3, 'Numbers and units');
  const table = s.body.split('\n').filter((l) => l.startsWith('|')).join('\n');
  for (const kind of Object.keys(UNITS) as (keyof typeof UNITS)[]) {
    for (const unit of Object.keys(UNITS[kind])) if (unit !== '') assert.ok(table.includes(`\`${unit}\``), `unit ${unit} (${kind}) is not in the units table`);
  }
});

// ---------------------------------------------------------------- defaults and equivalences, against the binder

/**
 * The program property examples are written into: one block of each kind, marked by a comment
 * line `# KIND` where the property goes (a property the block already has is replaced).
 */
const WORLD = `defaults {
  # defaults
}

fabric {
  # fabric
}

rack r1 {
  node n1..n4 { cores 32 memory 256GiB disk nvme0 2TB }
  node n5 { cores 32 memory 256GiB role spare }
  # rack
}

rack r2 {
  node m1..m8 {
    cores 16
    memory 64GiB
    # node
  }
}

sds pod1 {
  nodes r1.n1..n4
  # sds
}

tenant acme {
  # tenant
}

container api {
  cpu 1
  memory 1GiB
  place on r2
  # container
}

container cache {
  cpu 2
  memory 16GiB
  place on r2
}

scenario "what if" {
  # scenario
}
`;

/** WORLD with `line` in the block of `kind` (replacing that property if the block has it), or without the property when `line` is only its name. */
function withProperty(kind: BlockKind, line: string): string {
  const lines = WORLD.split('\n');
  const marker = lines.findIndex((l) => l.trim() === `# ${kind}`);
  assert.ok(marker >= 0, `the test's example program has no \`${kind}\` block: add one to WORLD`);
  let open = marker;
  while (open > 0 && !lines[open].trimEnd().endsWith('{')) open--;
  const name = line.split(/\s/)[0];
  const indent = /^\s*/.exec(lines[marker])?.[0] ?? '';
  const out = lines.filter((l, i) => !(i > open && i < marker && l.trim().split(/\s/)[0] === name));
  const at = out.findIndex((l) => l.trim() === `# ${kind}`);
  if (line !== name) out.splice(at, 0, `${indent}${line}`);
  return out.join('\n');
}

/** The T1xx-T3xx diagnostics of a program (T4xx are about capacity, not about the syntax shown). */
function bindErrors(program: string): string[] {
  return checkText(program).diagnostics.filter((d) => /^T[123]/.test(d.code)).map((d) => `${d.code} ${d.message}`);
}

/** The model of a program without source locations, numbers rounded to 12 significant digits. */
function modelOf(program: string): string {
  const r = checkText(program);
  assert.deepEqual(r.diagnostics.filter((d) => /^T[123]/.test(d.code)).map((d) => d.message), [], program);
  return JSON.stringify(r.model, (key, value: unknown) => {
    if (key === 'at' || key === 'nameAt' || key === 'block' || key === 'targetImplicit') return undefined;
    return typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  });
}

test('every default written as a value is the one the binder uses', () => {
  let checked = 0;
  for (const block of BLOCKS) {
    for (const prop of PROPERTIES[block]) {
      const entry = propertyEntry(block, prop.name);
      if (!entry) continue;
      const d = item(entry, 'Default') ?? '';
      const m = /^`([^`]+)`/.exec(d);
      if (!m) continue;
      assert.equal(modelOf(withProperty(block, `${prop.name} ${m[1]}`)), modelOf(withProperty(block, prop.name)), `${block} ${prop.name}: writing \`${prop.name} ${m[1]}\` changes the model, so it is not the default`);
      checked++;
    }
  }
  assert.ok(checked >= 20, `only ${checked} defaults checked`);
});

test('every "same as" holds', () => {
  let checked = 0;
  for (const block of BLOCKS) {
    for (const prop of PROPERTIES[block]) {
      const entry = propertyEntry(block, prop.name);
      const same = entry && item(entry, 'Same as');
      if (!same) continue;
      for (const pair of same.split(';')) {
        const [a, b] = codeSpans(pair);
        assert.ok(a && b, `"${pair}" must read \`A\` is \`B\``);
        // a line may hold several properties (`memory 1GiB workingset 1GiB`): the parser splits them
        assert.equal(modelOf(withProperty(block, a)), modelOf(withProperty(block, b)), `${block}: \`${a}\` is not the same as \`${b}\``);
        checked++;
      }
    }
  }
  assert.ok(checked >= 8, `only ${checked} equivalences checked`);
});

// ---------------------------------------------------------------- links to the reference

test('every link the code builds lands on an entry of docs/language.md', () => {
  const anchorOfUrl = (url: string) => {
    assert.ok(url.startsWith(`${LANGUAGE_REFERENCE_URL}#`), url);
    return url.slice(LANGUAGE_REFERENCE_URL.length + 1);
  };
  for (const code of CODES) assert.ok(anchors.has(anchorOfUrl(codeReference(code))), `codeReference(${code})`);
  for (const kind of Object.keys(BLOCK_DOCS) as (BlockKind | 'import')[]) assert.ok(anchors.has(anchorOfUrl(blockReference(kind))), `blockReference(${kind})`);
  for (const block of BLOCKS) for (const p of PROPERTIES[block]) assert.ok(anchors.has(anchorOfUrl(propertyReference(block, p.name))), `propertyReference(${block}, ${p.name})`);
  assert.equal(anchorOf('### rack `latency`'.slice(4)), 'rack-latency');
  assert.ok(LANGUAGE_REFERENCE_URL.endsWith('/docs/language.md'));
});

test('hover on a property, a value or a block keyword links to its entry', () => {
  const program = 'rack r1 {\n  latency 2us\n  node n1 { cores 8 memory 32GiB role spare }\n}\n';
  const s = { file: '/work/main.topo', text: program, check: checkText(program) };
  const at = (needle: string, delta = 0) => hover(s, program.indexOf(needle) + delta)?.contents ?? '';
  assert.ok(at('latency').includes(`](${propertyReference('rack', 'latency')})`), at('latency'));
  assert.ok(at('spare', 2).includes(`](${propertyReference('node', 'role')})`), at('spare', 2));
  assert.ok(at('rack', 1).includes(`](${blockReference('rack')})`), at('rack', 1));
  assert.ok(at('node', 1).includes(`](${blockReference('node')})`), at('node', 1));
});

test('the README and the walkthrough link to the reference', () => {
  assert.ok(readFileSync(join(repo, 'README.md'), 'utf8').includes('](docs/language.md)'), 'the README links docs/language.md');
  const walkthrough = join(repo, 'media/walkthrough');
  const linked = readdirSync(walkthrough).filter((f) => f.endsWith('.md')).filter((f) => readFileSync(join(walkthrough, f), 'utf8').includes(`](${LANGUAGE_REFERENCE_URL}`));
  assert.ok(linked.length >= 2, `walkthrough pages linking ${LANGUAGE_REFERENCE_URL}: ${linked.join(', ')}`);
  // every link of the walkthrough to the reference lands on an anchor
  for (const f of readdirSync(walkthrough).filter((x) => x.endsWith('.md'))) {
    for (const m of readFileSync(join(walkthrough, f), 'utf8').matchAll(/\]\((https:[^)#]+)(?:#([^)]+))?\)/g)) {
      if (m[1] !== LANGUAGE_REFERENCE_URL) continue;
      if (m[2]) assert.ok(anchors.has(m[2]), `${f} links #${m[2]}`);
    }
  }
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { description: string }[] }[] } };
  assert.ok(pkg.contributes.walkthroughs[0].steps.some((s) => s.description.includes(`](${LANGUAGE_REFERENCE_URL}`)), 'a walkthrough step links the reference');
});

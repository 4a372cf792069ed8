import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkText } from '../../../server/src/core/check';
import { importKubernetes } from '../../../server/src/core/interop/importKubernetes';
import {
  checkErrors,
  countDeclarations,
  existingTargets,
  exportErrorMessage,
  formatInteropMessage,
  importDoneMessage,
  importErrorMessage,
  inputsLabel,
  manifestFiles,
  overwritePrompt,
} from '../../../client/src/interopText';

const fixture = (name: string) => ({ path: `k8s/${name}`, text: readFileSync(new URL(`../../fixtures/interop/${name}`, import.meta.url), 'utf8') });

describe('interopText', () => {
  it('picks the manifest files of a folder, sorted, files only', () => {
    assert.deepEqual(manifestFiles([
      { name: 'z.yaml', isFile: true },
      { name: 'a.YML', isFile: true },
      { name: 'list.json', isFile: true },
      { name: 'notes.md', isFile: true },
      { name: 'nested.yaml', isFile: false },
      { name: 'yaml', isFile: true },
      { name: 'b.yaml.bak', isFile: true },
    ]), ['a.YML', 'list.json', 'z.yaml']);
    assert.deepEqual(manifestFiles([]), []);
  });

  it('names the inputs', () => {
    assert.equal(inputsLabel(['k8s']), 'k8s');
    assert.equal(inputsLabel(['a.yaml', 'b.yaml']), 'a.yaml and b.yaml');
    assert.equal(inputsLabel(['a.yaml', 'b.yaml', 'c.yaml']), 'a.yaml and 2 other files');
    assert.equal(inputsLabel(['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml']), 'a.yaml and 3 other files');
  });

  it('names file, line and column of malformed YAML in the error message', () => {
    const r = importKubernetes([fixture('malformed.k8s.yaml')]);
    assert.equal(r.errors.length, 1);
    const msg = importErrorMessage('k8s/malformed.k8s.yaml', r.errors);
    assert.match(msg, /^Topo: could not import k8s\/malformed\.k8s\.yaml: k8s\/malformed\.k8s\.yaml:7:3: malformed YAML: /);
    assert.doesNotMatch(msg, /more error/);
    const two = importErrorMessage('x', [...r.errors, { file: 'b.yaml', line: 2, column: 5, message: 'object without `kind`' }]);
    assert.match(two, /k8s\/malformed\.k8s\.yaml:7:3: .* \(and 1 more error; see the "Topo" output\)$/);
    assert.equal(formatInteropMessage({ file: 'b.yaml', line: 2, column: 5, message: 'object without `kind`' }, 'error'), 'b.yaml:2:5: error: object without `kind`');
    assert.equal(formatInteropMessage({ file: 'b.yaml', line: 1, column: 1, message: 'm' }, 'note'), 'b.yaml:1:1: note: m');
  });

  it('counts what an import declared and says where the notes are', () => {
    const r = importKubernetes([fixture('nodes.k8s.yaml'), fixture('workloads.k8s.yaml')]);
    // 7: the two-container pod `cache` is one container (issue 15; it was split in two)
    assert.deepEqual(countDeclarations(r.text), { containers: 7, racks: 2 });
    assert.equal(checkText(r.text).model.containers.length, 7);
    assert.equal(checkText(r.text).model.racks.length, 2);
    // Commented-out or nested words do not count.
    assert.deepEqual(countDeclarations('# container x {\n  container y {\ncontainer z {\nrack r {}\n'), { containers: 1, racks: 1 });
    const msg = importDoneMessage('k8s', r.text, r.notes);
    assert.equal(msg, `Topo: imported 7 containers and 2 racks from k8s. ${r.notes.length} notes on what was not mapped exactly (kept as comments, defaulted or generated) in the "Topo" output.`);
    assert.equal(importDoneMessage('one.yaml', 'container a {\n}\n', []), 'Topo: imported 1 container and 0 racks from one.yaml. Everything was mapped.');
  });

  it('lists the files an export would overwrite, in the order written', () => {
    const files = [{ path: 'priorityclasses.yaml' }, { path: 'pod1.yaml' }, { path: 'r1.yaml' }];
    assert.deepEqual(existingTargets(files, new Set(['r1.yaml', 'priorityclasses.yaml', 'other.yaml'])), ['priorityclasses.yaml', 'r1.yaml']);
    assert.deepEqual(existingTargets(files, new Set()), []);
    assert.deepEqual(overwritePrompt('out', ['priorityclasses.yaml', 'r1.yaml']), {
      message: 'Overwrite 2 existing files in out?',
      detail: 'Exporting to Kubernetes would replace:\n  priorityclasses.yaml\n  r1.yaml',
    });
    assert.equal(overwritePrompt('out', ['a.yaml']).message, 'Overwrite 1 existing file in out?');
  });

  it('names the errors of a file that cannot be exported with line, column and code', () => {
    const r = checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\ncontainer a {\n  cpu 1\n  memory 1GiB\n  place on nowhere\n}\n', '/ws/bad.topo');
    const errors = checkErrors(r, (p) => p.replace('/ws/', ''));
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^bad\.topo:5:12 T200: /);
    assert.equal(exportErrorMessage('bad.topo', errors), `Topo: bad.topo has 1 error; fix it before exporting (${errors[0]}).`);
    assert.equal(exportErrorMessage('x.topo', ['a', 'b']), 'Topo: x.topo has 2 errors; fix them before exporting (a).');
    assert.deepEqual(checkErrors(checkText('rack r1 { node n1 { cores 4 memory 8GiB } }\n'), String), []);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeBytes } from '../../../server/src/core/interop/importCompose';
import { cpuMillis, formatCpuK8s, formatMemoryK8s, memoryBytes, parseQuantity } from '../../../server/src/core/interop/quantity';

test('CPU quantities in every form, in millicores (rounded up)', () => {
  const cases: [string | number, number][] = [
    ['500m', 500], ['1.5', 1500], ['0.1', 100], [0.1, 100], [2, 2000], ['2', 2000], ['1k', 1000000],
    ['2e-3', 2], ['1e3', 1000000], ['100u', 1], ['1n', 1], ['0', 0], ['.5', 500], ['+1', 1000], ['1.0001', 1001],
  ];
  for (const [input, expected] of cases) assert.equal(cpuMillis(input), expected, String(input));
});

test('memory quantities in every form, in bytes', () => {
  const cases: [string | number, number][] = [
    ['2Gi', 2 * 2 ** 30], ['2G', 2e9], ['2e9', 2e9], [2e9, 2e9], ['128974848', 128974848], [128974848, 128974848],
    ['129e6', 129e6], ['123Mi', 123 * 2 ** 20], ['1k', 1000], ['1Ki', 1024], ['1.5Gi', 1.5 * 2 ** 30],
    ['1E', 1e18], ['1Ti', 2 ** 40], ['0.5Ki', 512], ['1E3', 1000], ['500m', 1],
  ];
  for (const [input, expected] of cases) assert.equal(memoryBytes(input), expected, String(input));
});

test('invalid quantities are rejected', () => {
  for (const bad of ['', 'lots', '1.2.3', '2gi', '2GB', 'Gi', '1 Gi', '1e', '--1', '1Kii', 'e3', '-1']) {
    assert.equal(cpuMillis(bad), undefined, bad);
    assert.equal(memoryBytes(bad), undefined, bad);
  }
  assert.deepEqual(parseQuantity('-500m'), { num: -1n, den: 2n });
  assert.equal(parseQuantity(Number.NaN), undefined);
});

test('canonical Kubernetes formatting', () => {
  assert.equal(formatCpuK8s(2), '2');
  assert.equal(formatCpuK8s(0.5), '500m');
  assert.equal(formatCpuK8s(0.0015), '2m');
  assert.equal(formatMemoryK8s(2 ** 31), '2Gi');
  assert.equal(formatMemoryK8s(1536 * 2 ** 20), '1536Mi');
  assert.equal(formatMemoryK8s(1000), '1000');
  for (const s of ['500m', '2', '250m']) assert.equal(formatCpuK8s((cpuMillis(s) ?? 0) / 1000), s);
  for (const s of ['2Gi', '123Mi', '1Ki', '999']) assert.equal(formatMemoryK8s(memoryBytes(s) ?? 0), s);
});

test('Compose byte values', () => {
  assert.equal(composeBytes('512M'), 512 * 2 ** 20);
  assert.equal(composeBytes('1g'), 2 ** 30);
  assert.equal(composeBytes('1gb'), 2 ** 30);
  assert.equal(composeBytes('300k'), 300 * 1024);
  assert.equal(composeBytes(1024), 1024);
  assert.equal(composeBytes('big'), undefined);
});

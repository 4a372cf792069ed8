// The sizing lenses wait as long as the last sizing of the document took before sizing it again
// (a file that takes a minute to size is not sized anew, and the run thrown away, at every pause).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sizingDelay, SIZING_DELAY_MAX_MS, SIZING_DELAY_MS } from '../../../server/src/server/sizingLenses';

test('sizing delay: 300 ms at first and for quick files, the last run time for slow ones, at most 5 s', () => {
  assert.equal(sizingDelay(undefined), SIZING_DELAY_MS);
  assert.equal(sizingDelay(40), SIZING_DELAY_MS);
  assert.equal(sizingDelay(1800), 1800);
  assert.equal(sizingDelay(90_000), SIZING_DELAY_MAX_MS);
  assert.equal(SIZING_DELAY_MS, 300);
  assert.equal(SIZING_DELAY_MAX_MS, 5000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeSpans } from '../../webview/richText';

test('backticked commands become code spans; the backticks themselves are not shown', () => {
  assert.deepEqual(codeSpans('`rm -rf build` is already denied by the policy'), [
    { text: 'rm -rf build', code: true },
    { text: ' is already denied by the policy', code: false },
  ]);
  assert.deepEqual(codeSpans('plain'), [{ text: 'plain', code: false }]);
  assert.deepEqual(codeSpans('a `b` c `d'), [
    { text: 'a ', code: false },
    { text: 'b', code: true },
    { text: ' c `d', code: false },
  ], 'an unpaired backtick stays literal');
  assert.deepEqual(codeSpans(''), []);
});

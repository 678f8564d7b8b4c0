import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncodeBuffer } from '../../src/core/telemetry/encode-buffer';

test('an encode buffer keeps what it holds when it grows, and is reused after clear', () => {
  const out = new EncodeBuffer(16);
  const parts = ['abc', 'ü✓🚀', 'x'.repeat(100), '', '\r\n"quoted"'];
  for (const p of parts) out.put(p);
  assert.equal(out.bytes.toString('utf8'), parts.join(''));
  assert.equal(out.length, Buffer.byteLength(parts.join('')));
  assert.ok(out.capacity >= out.length);

  const capacity = out.capacity;
  out.clear();
  assert.equal(out.length, 0);
  assert.ok(out.fits('y'.repeat(Math.floor(capacity / 3))));
  assert.equal(out.fits('y'.repeat(Math.floor(capacity / 3) + 1)), false, 'room is counted at 3 bytes per UTF-16 unit');
  out.put('🚀');
  assert.equal(out.capacity, capacity, 'no growth when it fits');
  assert.equal(out.bytes.toString('utf8'), '🚀');
});

/**
 * A Buffer seen as a plain Uint8Array view (no copy). With TypeScript 5.9's generic typed arrays
 * and @types/node 20, Buffer is not assignable to crypto's BinaryLike/ArrayBufferView; a view is.
 */
export function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/**
 * `size` deterministic, incompressible-looking bytes for `seed`: distinct seeds give distinct
 * content, so tests name their data without storing fixtures.
 */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index += 1) {
    // xorshift32: fast, and every byte depends on all the previous ones.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

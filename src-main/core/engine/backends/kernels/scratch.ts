/**
 * Reusable JS-side scratch memory for the kernels. Training calls the same kernels with the same
 * shapes thousands of times; allocating (and zeroing, and collecting) fresh multi-megabyte arrays
 * each time costs more than the copies they hold. One buffer per role, grown, never shrunk.
 */
const buffers = new Map<string, Float32Array>();

/** A buffer of at least `size` floats; its contents are left over from the previous use. */
export function scratch(role: string, size: number): Float32Array {
  let buf = buffers.get(role);
  if (!buf || buf.length < size) {
    buf = new Float32Array(Math.ceil(size * 1.25));
    buffers.set(role, buf);
  }
  return buf;
}

/** Frees every scratch buffer (tests, or after training ends). */
export function releaseScratch(): void {
  buffers.clear();
}

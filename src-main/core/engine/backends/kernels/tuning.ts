/**
 * Chunk sizes of the GEMM-based gradient kernels, in floats. Mutable so tests can force the
 * multi-chunk paths with tiny tensors; production never changes them.
 */
export const kernelTuning = {
  /** Use our SIMD kernels (simd/kernels.wat) where they apply; false: the XNNPACK/JS paths. */
  simd: true,
  /** im2colᵀ chunk of Conv2DBackpropFilter (4 MiB): cache-sized, GEMM-efficient. */
  filterChunkFloats: 1 << 20,
  /**
   * Conv2DBackpropFilter copies only output positions (not whole frames) when the frame margins
   * would add more than this share of GEMM work.
   */
  compactAboveWaste: 0.5,
  /** col2im chunk of the strided Conv2DBackpropInput (16 MiB). */
  col2imChunkFloats: 1 << 22,
};

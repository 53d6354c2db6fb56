;; The fused MLP training step's loops (see fused-mlp-stepper.ts): one GEMM with the epilogues a
;; dense layer needs, a transpose, column sums, and the Adam and SGD updates of optimizers.ts.
;; The module works on a memory of its own (imported, one per stepper), laid out by fused-mlp.ts.
;; Built with wat2wasm into mlp-wasm.ts by backends/kernels/simd/build.mjs.
(module
  (import "env" "memory" (memory 0))

  ;; C[M,N] = bias + A·B, then ReLU ($relu ≠ 0) and/or zeroed where $mask[M,N] ≤ 0 ($mask ≠ 0).
  ;; A(i, p) is the f32 at $a + i·$ars + p·$acs (byte strides: A or a transposed A), B is [K,N]
  ;; row-major, C (and the mask) [M,N] row-major; $bias (0: none) holds N floats.
  ;; M % 4 == 0 and N % 8 == 0 (the caller pads). Blocks of 4 rows × 8 columns in eight v128
  ;; accumulators; A's entries are loaded already splatted.
  (func (export "gemm") (param $a i32) (param $ars i32) (param $acs i32) (param $b i32)
        (param $c i32) (param $m i32) (param $n i32) (param $k i32)
        (param $bias i32) (param $relu i32) (param $mask i32)
    (local $i i32) (local $j i32) (local $p i32) (local $ldb i32) (local $ars2 i32) (local $ars3 i32)
    (local $ap i32) (local $bp i32) (local $cp i32) (local $mp i32)
    (local $s v128) (local $b0 v128) (local $b1 v128) (local $i0 v128) (local $i1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $ldb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $ars2 (i32.shl (local.get $ars) (i32.const 1)))
    (local.set $ars3 (i32.add (local.get $ars2) (local.get $ars)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jloop
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $ldb)))
            (if (local.get $bias)
              (then
                (local.set $i0 (v128.load (i32.add (local.get $bias) (local.get $j))))
                (local.set $i1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $j)))))
              (else
                (local.set $i0 (v128.const i32x4 0 0 0 0))
                (local.set $i1 (v128.const i32x4 0 0 0 0))))
            (local.set $c00 (local.get $i0)) (local.set $c01 (local.get $i1))
            (local.set $c10 (local.get $i0)) (local.set $c11 (local.get $i1))
            (local.set $c20 (local.get $i0)) (local.set $c21 (local.get $i1))
            (local.set $c30 (local.get $i0)) (local.set $c31 (local.get $i1))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
            (local.set $bp (i32.add (local.get $b) (local.get $j)))
            (local.set $p (i32.const 0))
            (block $pdone
              (loop $ploop
                (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $s (v128.load32_splat (local.get $ap)))
                (local.set $c00 (f32x4.relaxed_madd (local.get $s) (local.get $b0) (local.get $c00)))
                (local.set $c01 (f32x4.relaxed_madd (local.get $s) (local.get $b1) (local.get $c01)))
                (local.set $s (v128.load32_splat (i32.add (local.get $ap) (local.get $ars))))
                (local.set $c10 (f32x4.relaxed_madd (local.get $s) (local.get $b0) (local.get $c10)))
                (local.set $c11 (f32x4.relaxed_madd (local.get $s) (local.get $b1) (local.get $c11)))
                (local.set $s (v128.load32_splat (i32.add (local.get $ap) (local.get $ars2))))
                (local.set $c20 (f32x4.relaxed_madd (local.get $s) (local.get $b0) (local.get $c20)))
                (local.set $c21 (f32x4.relaxed_madd (local.get $s) (local.get $b1) (local.get $c21)))
                (local.set $s (v128.load32_splat (i32.add (local.get $ap) (local.get $ars3))))
                (local.set $c30 (f32x4.relaxed_madd (local.get $s) (local.get $b0) (local.get $c30)))
                (local.set $c31 (f32x4.relaxed_madd (local.get $s) (local.get $b1) (local.get $c31)))
                (local.set $ap (i32.add (local.get $ap) (local.get $acs)))
                (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ploop)))
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $ldb)) (local.get $j))))
            (local.set $mp (select
              (i32.add (local.get $mask) (i32.sub (local.get $cp) (local.get $c)))
              (i32.const 0)
              (local.get $mask)))
            (call $out (local.get $cp) (local.get $mp) (local.get $relu) (local.get $c00) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
            (if (local.get $mp) (then (local.set $mp (i32.add (local.get $mp) (local.get $ldb)))))
            (call $out (local.get $cp) (local.get $mp) (local.get $relu) (local.get $c10) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
            (if (local.get $mp) (then (local.set $mp (i32.add (local.get $mp) (local.get $ldb)))))
            (call $out (local.get $cp) (local.get $mp) (local.get $relu) (local.get $c20) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldb)))
            (if (local.get $mp) (then (local.set $mp (i32.add (local.get $mp) (local.get $ldb)))))
            (call $out (local.get $cp) (local.get $mp) (local.get $relu) (local.get $c30) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))
  )

  ;; Stores 8 floats of a C row at $cp after the epilogue: ReLU, then the mask row at $mp (0: none).
  (func $out (param $cp i32) (param $mp i32) (param $relu i32) (param $v0 v128) (param $v1 v128)
    (if (local.get $relu)
      (then
        (local.set $v0 (f32x4.max (local.get $v0) (v128.const i32x4 0 0 0 0)))
        (local.set $v1 (f32x4.max (local.get $v1) (v128.const i32x4 0 0 0 0)))))
    (if (local.get $mp)
      (then
        (local.set $v0 (v128.and (local.get $v0)
          (f32x4.gt (v128.load (local.get $mp)) (v128.const i32x4 0 0 0 0))))
        (local.set $v1 (v128.and (local.get $v1)
          (f32x4.gt (v128.load offset=16 (local.get $mp)) (v128.const i32x4 0 0 0 0))))))
    (v128.store (local.get $cp) (local.get $v0))
    (v128.store offset=16 (local.get $cp) (local.get $v1))
  )

  ;; $dst[C,R] = transpose of $src[R,C] (row-major f32).
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $r i32) (local $q i32) (local $sp i32) (local $dp i32) (local $ldd i32)
    (local.set $ldd (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $sp (local.get $src))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $dp (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $q (i32.const 0))
        (block $qdone
          (loop $qloop
            (br_if $qdone (i32.ge_u (local.get $q) (local.get $cols)))
            (f32.store (local.get $dp) (f32.load (local.get $sp)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
            (local.set $dp (i32.add (local.get $dp) (local.get $ldd)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $qloop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
  )

  ;; $dst[N] = Σ over rows of $src[R,N], row by row; N % 4 == 0.
  (func (export "col_sum") (param $src i32) (param $rows i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $r i32) (local $ld i32) (local $sp i32) (local $acc v128)
    (local.set $ld (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $ld)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $sp (i32.add (local.get $src) (local.get $j)))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rloop
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $sp))))
            (local.set $sp (i32.add (local.get $sp) (local.get $ld)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rloop)))
        (v128.store (i32.add (local.get $dst) (local.get $j)) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $jloop)))
  )

  ;; Adam over $count floats (% 4 == 0), the operations of optimizers.ts in the same order and
  ;; float32 rounding (separate multiplies and adds, no FMA):
  ;;   m = m·β1 + g·(1−β1);  v = v·β2 + g²·(1−β2);  w −= m / (√v / bc2Sqrt + ε) · stepSize
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $count i32)
        (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32)
        (param $bc2 f32) (param $size f32) (param $eps f32)
    (local $o i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $o (i32.const 0))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
          (f32x4.mul (local.get $gv) (f32x4.splat (local.get $omb1)))))
        (local.set $vv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $omb2)))))
        (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $w) (local.get $o))
          (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $o)))
            (f32x4.mul
              (f32x4.div (local.get $mv)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $bc2)))
                  (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $size)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $loop)))
  )

  ;; SGD over $count floats (% 4 == 0), PyTorch's rule as optimizers.ts: with a buffer ($buf ≠ 0)
  ;; buf = g on the first step ($first ≠ 0), else buf·μ + g, and w −= buf·lr; without, w −= g·lr.
  (func (export "sgd") (param $w i32) (param $g i32) (param $buf i32) (param $count i32)
        (param $lr f32) (param $mu f32) (param $first i32)
    (local $o i32) (local $end i32) (local $u v128)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $o (i32.const 0))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $u (v128.load (i32.add (local.get $g) (local.get $o))))
        (if (local.get $buf)
          (then
            (if (i32.eqz (local.get $first))
              (then
                (local.set $u (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $buf) (local.get $o))) (f32x4.splat (local.get $mu)))
                  (local.get $u)))))
            (v128.store (i32.add (local.get $buf) (local.get $o)) (local.get $u))))
        (v128.store (i32.add (local.get $w) (local.get $o))
          (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $o)))
            (f32x4.mul (local.get $u) (f32x4.splat (local.get $lr)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $loop)))
  )
)

/**
 * Geometry shared by the convolution gradient kernels: tfjs's own conv info (so padding and
 * output sizes agree with the forward kernel bit for bit), reduced to the numbers we loop over.
 */
import { backend_util } from '@tensorflow/tfjs-core';

export type PadAttr = 'valid' | 'same' | number | backend_util.ExplicitPadding;

export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  /** Channels of dy: Cout for conv2d, inC × multiplier for depthwise. */
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly padBottom: number;
  readonly padRight: number;
}

export interface ConvAttrsLike {
  readonly strides: number | readonly number[];
  readonly pad: PadAttr;
  readonly dilations?: number | readonly number[] | null;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil' | null;
  readonly dataFormat?: string;
}

export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrsLike,
  depthwise: boolean,
): ConvGeometry {
  if (
    attrs.dataFormat != null &&
    attrs.dataFormat !== 'NHWC' &&
    attrs.dataFormat !== 'channelsLast'
  ) {
    throw new Error(`only NHWC convolutions are supported on wasm (got ${attrs.dataFormat})`);
  }
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    (attrs.dilations ?? 1) as [number, number],
    attrs.pad,
    attrs.dimRoundingMode ?? undefined,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

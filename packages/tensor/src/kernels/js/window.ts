// The sliding-window layout that convolution and pooling kernels share.

/** A kH x kW window (taps dilation apart) moved by stride over an H x W plane, giving an oH x oW plane. */
export interface WindowGeometry {
  H: number;
  W: number;
  oH: number;
  oW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
}

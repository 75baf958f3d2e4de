// Replays tools/fixtures/tensor_nets.py: conv2d / convTranspose2d forward values and both gradients from
// torch.autograd (float64), on contiguous and strided inputs, and in float32 with a looser tolerance.
import { expect, test } from 'vitest';
import { type Tensor, conv2d, convTranspose2d, setConvAlgorithm } from '@minigrad/tensor';
import {
  conv2dBackwardInput, conv2dBackwardWeight, convTranspose2dBackwardInput, convTranspose2dBackwardWeight,
} from '@minigrad/tensor/internal';
import { type EncodedTensor, loadFixtures, describeEachBackend } from '@minigrad/testing';
import { type Layout, LAYOUTS, checkFixture, decode } from './fixture-layouts.js';

interface ConvCase {
  op: 'conv2d' | 'convTranspose2d';
  x: EncodedTensor;
  w: EncodedTensor;
  b: EncodedTensor | null;
  opts: Record<string, unknown>;
  out: EncodedTensor;
  gradOut: EncodedTensor;
  gradX: EncodedTensor;
  gradW: EncodedTensor;
}

const TOL = { float32: { atol: 2e-4, rtol: 1e-4 }, float64: { atol: 1e-11, rtol: 1e-10 } };

function check(got: Tensor, e: EncodedTensor, layout: Layout, label: string): void {
  checkFixture(got, e, layout, TOL, label);
}

const { cases } = loadFixtures<ConvCase>(new URL('./fixtures/nets_conv.json', import.meta.url));
// 3x3 stride-1 convs with 8 or more channels in and out, which setConvAlgorithm('winograd') computes by Winograd.
const { cases: wide } = loadFixtures<ConvCase>(new URL('./fixtures/nets_conv_wide.json', import.meta.url));

describeEachBackend('PyTorch fixtures: conv2d and convTranspose2d', () => {
  for (const op of ['conv2d', 'convTranspose2d'] as const) {
    for (const layout of LAYOUTS) {
      test(`${op}: forward, input gradient and weight gradient of every configuration (${layout})`, () => {
        replay(op, [...cases, ...wide], layout);
      });
      test(`${op} under setConvAlgorithm('winograd'): every configuration (${layout})`, () => {
        setConvAlgorithm('winograd');
        try {
          replay(op, [...cases, ...wide], layout);
        } finally {
          setConvAlgorithm('gemm');
        }
      });
    }
  }
});

/** Checks every case of `op` in `all`: forward value, input gradient and weight gradient. */
function replay(op: 'conv2d' | 'convTranspose2d', all: ConvCase[], layout: Layout): void {
  const opCases = all.filter((c) => c.op === op);
  expect(opCases.length).toBeGreaterThan(1);
  for (const [i, c] of opCases.entries()) {
    const label = `${op}[${i}] x${JSON.stringify(c.x.shape)} w${JSON.stringify(c.w.shape)} ${JSON.stringify(c.opts)}`;
    const x = decode(c.x, layout);
    const w = decode(c.w, layout);
    const b = c.b ? decode(c.b, layout) : null;
    const g = decode(c.gradOut, layout);
    if (op === 'conv2d') {
      check(conv2d(x, w, b, c.opts), c.out, layout, `${label} forward`);
      check(conv2dBackwardInput(g, w, c.x.shape, c.opts), c.gradX, layout, `${label} gradX`);
      check(conv2dBackwardWeight(g, x, c.w.shape, c.opts), c.gradW, layout, `${label} gradW`);
    } else {
      check(convTranspose2d(x, w, b, c.opts), c.out, layout, `${label} forward`);
      check(convTranspose2dBackwardInput(g, w, c.x.shape, c.opts), c.gradX, layout, `${label} gradX`);
      check(convTranspose2dBackwardWeight(g, x, c.w.shape, c.opts), c.gradW, layout, `${label} gradW`);
    }
  }
}

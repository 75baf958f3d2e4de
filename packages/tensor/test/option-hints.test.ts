// "did you mean ...?" after an unknown option: snake_case and other capitalizations, PyTorch's renames, typos.
import { describe, expect, it } from 'vitest';
import { checkOptions, tensor, zeros } from '@minigrad/tensor';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

describe('unknown option hints', () => {
  it('map snake_case and other capitalizations to the camelCase name', () => {
    expect(message(() => checkOptions('f', { label_smoothing: 0.1 } as never, ['labelSmoothing', 'weight']))).toBe(
      "f: unknown option 'label_smoothing' (valid options: labelSmoothing, weight); did you mean 'labelSmoothing'?",
    );
    expect(message(() => checkOptions('f', { keepDim: true } as never, ['keepdim']))).toMatch(/did you mean 'keepdim'\?$/);
  });
  it("name PyTorch's renames, saying how the value carries over", () => {
    expect(message(() => zeros([2, 3]).var(1, { unbiased: false } as never))).toMatch(
      /unknown option 'unbiased' .*did you mean 'correction'\? \(PyTorch's unbiased: false is correction: 0/,
    );
    expect(message(() => tensor([1]).sum().std(undefined, { keepdims: true } as never))).toMatch(/did you mean 'keepdim'\?$/);
    expect(message(() => checkOptions('loss', { reduce: false } as never, ['reduction']))).toMatch(/did you mean 'reduction'\? \(PyTorch's deprecated/);
    expect(message(() => checkOptions('f', { axis: 0 } as never, ['dim']))).toMatch(/did you mean 'dim'\?$/);
  });
  it('suggest the nearest name for a typo, and nothing when no name is close', () => {
    expect(message(() => zeros([2], { dtyp: 'float64' } as never))).toMatch(/did you mean 'dtype'\?$/);
    expect(message(() => checkOptions('f', { descnding: true } as never, ['descending', 'stable']))).toMatch(/did you mean 'descending'\?$/);
    expect(message(() => checkOptions('f', { inplace: true } as never, ['p', 'training']))).toBe(
      "f: unknown option 'inplace' (valid options: p, training)",
    );
    // a rename whose target this function does not take is not suggested
    expect(message(() => checkOptions('f', { unbiased: true } as never, ['dim']))).toBe("f: unknown option 'unbiased' (valid options: dim)");
  });
});

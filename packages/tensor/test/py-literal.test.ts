// pyStr: Python's str() of the value a JavaScript value stands for (pyFloat is checked against Python's float
// repr by nn's repr test).
import { describe, expect, test } from 'vitest';
import { ArgumentError, pyFloat, pyStr } from '@minigrad/tensor';

describe('pyStr', () => {
  test('numbers, booleans, None, tuples and strings as Python prints them', () => {
    expect(pyStr(0)).toBe('0');
    expect(pyStr(1e-8)).toBe('1e-08');
    expect(pyStr(0.001)).toBe('0.001');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(undefined)).toBe('None');
    expect(pyStr([0.9, 0.999])).toBe('(0.9, 0.999)');
    expect(pyStr([3])).toBe('(3,)');
    expect(pyStr([])).toBe('()');
    expect(pyStr('min')).toBe('min');
    expect(pyStr(['min', false])).toBe("('min', False)");
  });

  test('pyFloat rejects what is not a number', () => {
    expect(() => pyFloat('1' as unknown as number)).toThrow(ArgumentError);
    expect(pyFloat(1)).toBe('1.0');
  });
});

// What every bad-input test asserts: the call throws a MinigradError of the expected class whose message
// matches (names the function, the argument and the value).
import { expect } from 'vitest';
import { MinigradError } from '@minigrad/tensor';

export function expectError(fn: () => unknown, type: new (...args: never[]) => MinigradError, message: RegExp): MinigradError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'no error thrown').toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
  return caught as MinigradError;
}

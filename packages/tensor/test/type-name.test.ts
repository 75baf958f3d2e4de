// typeNameOf: the class name that survives minification (a class's own static typeName, else constructor.name).
import { describe, expect, test } from 'vitest';
import { MinigradError, ShapeError, Tensor, describeValue, typeNameOf, zeros } from '@minigrad/tensor';

describe('typeNameOf', () => {
  test('reads the static typeName of an instance or of the class itself, not constructor.name', () => {
    // What a minifier does to `class Linear`: the class gets another name, the string literal stays.
    const Mangled = class be {
      static readonly typeName = 'Linear';
    };
    expect(Mangled.name).toBe('be');
    expect(typeNameOf(new Mangled())).toBe('Linear');
    expect(typeNameOf(Mangled)).toBe('Linear');
    expect(typeNameOf(zeros(2))).toBe('Tensor');
    expect(typeNameOf(Tensor)).toBe('Tensor');
  });

  test("a subclass that declares no typeName gets its own constructor.name, not its parent's typeName", () => {
    class MyError extends ShapeError {}
    expect(typeNameOf(new MyError('op', 'message'))).toBe('MyError');
    class Named extends ShapeError {
      static override readonly typeName: string = 'Renamed';
    }
    expect(typeNameOf(Named)).toBe('Renamed');
  });

  test('ignores a typeName that is not a string or is a getter, and values with no class', () => {
    class Odd {
      static readonly typeName = 3;
    }
    class Getter {
      static get typeName(): string {
        throw new Error('not called');
      }
    }
    expect(typeNameOf(new Odd())).toBe('Odd');
    expect(typeNameOf(Getter)).toBe('Getter');
    expect(typeNameOf(Object.create(null))).toBe('Object');
    expect(typeNameOf(null)).toBe('Object');
    expect(typeNameOf(undefined)).toBe('Object');
    expect(typeNameOf({})).toBe('Object');
  });

  test('error names and describeValue use it', () => {
    const Mangled = class Q extends MinigradError {
      static override readonly typeName: string = 'PlanError';
    };
    const e = new Mangled('plan', 'cannot capture');
    expect(e.name).toBe('PlanError');
    expect(String(e)).toBe('PlanError: plan: cannot capture');
    expect(new ShapeError('op', 'bad').name).toBe('ShapeError');
    const T = class x {
      static readonly typeName = 'Thing';
      readonly shape = [2, 3];
    };
    expect(describeValue(new T())).toBe('a Thing of shape [2,3]');
    expect(describeValue(new (class {})())).toBe('an object');
  });
});

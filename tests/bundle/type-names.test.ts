// Every class the packages export declares its own static typeName, equal to its export name: the name a
// minifier cannot change, which String(model), error names and messages print (see tensor's typeNameOf).
// A new class that forgets it fails here.
import { describe, expect, it } from 'vitest';
import * as tensor from '@minigrad/tensor';
import * as autograd from '@minigrad/autograd';
import * as nn from '@minigrad/nn';
import * as optim from '@minigrad/optim';
import * as data from '@minigrad/data';

const isClass = (v: unknown): v is abstract new (...args: never[]) => unknown =>
  typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));

const exported = Object.entries({ tensor, autograd, nn, F: nn.F, init: nn.init, optim, data }).flatMap(([ns, mod]) =>
  Object.entries(mod as Record<string, unknown>)
    .filter(([, v]) => isClass(v))
    .map(([name, cls]) => [`${ns}.${name}`, name, cls] as const),
);

describe('static type names', () => {
  it('finds the exported classes', () => {
    // Errors, Tensor, Variable, Parameter, the layers, optimizers and schedulers: far more than a few.
    expect(exported.length).toBeGreaterThan(60);
  });

  it.each(exported)('%s declares static typeName = its export name', (_, name, cls) => {
    expect(Object.getOwnPropertyDescriptor(cls, 'typeName')?.value).toBe(name);
    expect(tensor.typeNameOf(cls)).toBe(name);
  });
});

// Hook handles and the wiring of module backward hooks onto the autograd tape.
import { Variable, isGradEnabled, type RemovableHandle } from '@minigrad/autograd';
import type { Module } from './module.js';

export type { RemovableHandle };

/** Runs before `forward`; may return replacement inputs (an array, or a single value for one input). */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown[] | unknown | void;
/** Runs after `forward`; may return a replacement output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown | void;
/**
 * Sees, once per backward pass through this call of the module, the gradients with respect to the module's
 * Variable inputs (`gradInput`, `null` for inputs that do not require grad) and with respect to its Variable
 * outputs (`gradOutput`), as PyTorch's full backward hook. It observes only: its return value is ignored.
 */
export type BackwardHook = (module: Module, gradInput: (Variable | null)[], gradOutput: (Variable | null)[]) => void;

let nextHookId = 0;

/** Adds `hook` to `hooks` under a fresh id and returns the handle that removes it. */
export function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  const id = nextHookId++;
  hooks.set(id, hook);
  return { remove: () => void hooks.delete(id) };
}

/** The Variables among a forward's arguments or in its output (a Variable, or an array of them). */
function variablesIn(value: unknown): Variable[] {
  if (value instanceof Variable) return [value];
  if (Array.isArray(value)) return value.filter((v): v is Variable => v instanceof Variable);
  return [];
}

/**
 * Routes each grad-requiring Variable input through an identity view so that the gradient flowing into this
 * module (and only this use of the input) can be observed. Returns the new inputs and a function that, given
 * the output, registers the tape hooks that fire `hooks` once both sides' gradients are known.
 */
export function attachBackwardHooks(
  module: Module,
  hooks: Map<number, BackwardHook>,
  inputs: unknown[],
): { inputs: unknown[]; watchOutput(output: unknown): void } {
  if (!isGradEnabled()) return { inputs, watchOutput: () => undefined };
  const watched: Variable[] = [];
  const slots: number[] = [];
  const newInputs = inputs.map((x, i) => {
    if (!(x instanceof Variable) || !x.requiresGrad) return x;
    const alias = x.view(x.shape);
    watched.push(alias);
    slots.push(i);
    return alias;
  });
  const gradInput: (Variable | null)[] = inputs.map(() => null);

  const watchOutput = (output: unknown): void => {
    const outs = variablesIn(output).filter((v) => v.requiresGrad);
    if (outs.length === 0) return;
    const gradOutput: (Variable | null)[] = outs.map(() => null);
    let pendingOut = outs.length;
    let pendingIn = watched.length;
    const fire = (): void => {
      for (const hook of [...hooks.values()]) hook(module, gradInput.slice(), gradOutput.slice());
      // Reset so that a second backward pass over a retained graph reports afresh.
      pendingOut = outs.length;
      pendingIn = watched.length;
      gradInput.fill(null);
      gradOutput.fill(null);
    };
    outs.forEach((out, k) => {
      out.registerHook((g: Variable) => {
        gradOutput[k] = g;
        pendingOut--;
        if (pendingOut === 0 && watched.length === 0) fire();
      });
    });
    watched.forEach((alias, k) => {
      alias.registerHook((g: Variable) => {
        gradInput[slots[k]] = g;
        pendingIn--;
        if (pendingIn === 0) fire();
      });
    });
  };
  return { inputs: newInputs, watchOutput };
}

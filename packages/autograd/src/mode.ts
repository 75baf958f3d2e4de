// Global switches of the engine: whether ops record onto the tape, and whether anomaly mode is on.
// They are plain module variables (read on every op), changed only through the scoped helpers below.
import { ArgumentError, checkBool, checkFunction } from '@minigrad/tensor';
import { isThenable } from '@minigrad/tensor/internal';

export const state = {
  /** Ops record nodes only while this is true (see noGrad / enableGrad). */
  gradEnabled: true,
  /** Anomaly mode: capture creation stacks and check every forward output and backward gradient. */
  anomaly: false,
};

/** Whether ops currently record onto the tape. */
export function isGradEnabled(): boolean {
  return state.gradEnabled;
}

/**
 * Runs fn with a switch of `state` set, restoring it after. JavaScript has no context that follows an async
 * function across `await` (in browsers), so a scope cannot cover the part of fn that runs after its first
 * await: that part would run later with whatever mode is on then. A Promise (any thenable) returned by fn
 * is therefore refused, after the switch is restored.
 */
function scoped<T>(op: string, key: 'gradEnabled' | 'anomaly', value: boolean, fn: () => T, instead: string): T {
  checkFunction(op, 'fn', fn);
  const prev = state[key];
  state[key] = value;
  let out: T;
  try {
    out = fn();
  } finally {
    state[key] = prev;
  }
  if (isThenable(out)) {
    // fn's remaining work runs later, outside the scope; this error reports it, so a rejection of that
    // work is not also left unhandled (which would end a Node process).
    out.then(undefined, () => undefined);
    throw new ArgumentError(
      op,
      `fn returned a Promise (an async function?): the scope would end at its first await and the rest of fn would run ` +
        `outside it. Wrap only the synchronous computation and await outside: const y = ${op}(() => model.call(x)); await ...${instead}`,
    );
  }
  return out;
}

const SET_INSTEAD = (on: boolean) =>
  `; around awaited code, call setGradEnabled(${on}) and restore the previous mode after (a global switch: other code that runs meanwhile sees it too)`;

/**
 * Runs fn with recording off: results do not require grad (like `with torch.no_grad()`). fn must be
 * synchronous: one that returns a Promise is refused with an ArgumentError (see `scoped`).
 */
export function noGrad<T>(fn: () => T): T {
  return scoped('noGrad', 'gradEnabled', false, fn, SET_INSTEAD(false));
}

/** Runs fn with recording on, also inside a noGrad scope (like `with torch.enable_grad()`); fn must be synchronous. */
export function enableGrad<T>(fn: () => T): T {
  return scoped('enableGrad', 'gradEnabled', true, fn, SET_INSTEAD(true));
}

/** Turns recording on or off until changed again (like `torch.set_grad_enabled`). */
export function setGradEnabled(enabled: boolean): void {
  state.gradEnabled = checkBool('setGradEnabled', 'enabled', enabled);
}

/**
 * Runs fn in anomaly mode: every op captures the stack where it was created, and the first op whose
 * forward output or backward gradient holds NaN or Inf throws an error naming the op, its input shapes
 * and that stack. fn must be synchronous, as for noGrad.
 */
export function detectAnomaly<T>(fn: () => T): T {
  return scoped('detectAnomaly', 'anomaly', true, fn, '');
}

/** Whether anomaly mode is on. */
export function isAnomalyEnabled(): boolean {
  return state.anomaly;
}

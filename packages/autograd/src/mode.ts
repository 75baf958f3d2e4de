// Global switches of the engine: whether ops record onto the tape, and whether anomaly mode is on.
// They are plain module variables (read on every op), changed only through the scoped helpers below.
import { checkBool, checkFunction } from '@minigrad/tensor';

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

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = state.gradEnabled;
  state.gradEnabled = enabled;
  try {
    return fn();
  } finally {
    state.gradEnabled = prev;
  }
}

/** Runs fn with recording off: results do not require grad (like `with torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, checkFunction('noGrad', 'fn', fn));
}

/** Runs fn with recording on, also inside a noGrad scope (like `with torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, checkFunction('enableGrad', 'fn', fn));
}

/** Turns recording on or off until changed again (like `torch.set_grad_enabled`). */
export function setGradEnabled(enabled: boolean): void {
  state.gradEnabled = checkBool('setGradEnabled', 'enabled', enabled);
}

/**
 * Runs fn in anomaly mode: every op captures the stack where it was created, and the first op whose
 * forward output or backward gradient holds NaN or Inf throws an error naming the op, its input shapes
 * and that stack.
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkFunction('detectAnomaly', 'fn', fn);
  const prev = state.anomaly;
  state.anomaly = true;
  try {
    return fn();
  } finally {
    state.anomaly = prev;
  }
}

/** Whether anomaly mode is on. */
export function isAnomalyEnabled(): boolean {
  return state.anomaly;
}

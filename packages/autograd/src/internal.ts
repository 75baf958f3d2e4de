// @minigrad/autograd/internal: what nn's own ops and the tests use below the public API (the op registry,
// the one- and two-input dispatch shortcuts, backward-function helpers). Names may change in any release.
export { registry } from './registry.js';
export { apply1, apply2 } from './dispatch.js';
export { needsGrad } from './tape-node.js';
export { reduceTo } from './reduce-to.js';
export { dropGrad, peekGrad } from './grad-ownership.js';

// @minigrad/testing (private): what the tests of several packages share, imported by name instead of by a
// relative path into another package or into tools/. Node-only (it reads files and spawns tsc).
export { loadFixtures, values, decode, assertClose, type EncodedTensor, type FixtureFile } from './fixtures.js';
export { BACKENDS, describeEachBackend } from './backends.js';
export { readmeExample, runExample } from './readme-example.js';
export { ensureBuilt } from './ensure-built.js';
export { handMadeSafetensors } from './safetensors.js';
export { POISON_INT, firstDifference, poisonPool } from './poison.js';

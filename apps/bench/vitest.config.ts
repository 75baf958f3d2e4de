import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.shared.js';

// tfjs stays external (loaded by Node, as in the bench) rather than transformed file by file.
export default defineProject({ resolve: { alias }, test: { name: 'bench', server: { deps: { external: [/@tensorflow\//] } } } });

import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.shared.js';

// --expose-gc lets the memory test force collections and compare heap sizes reliably.
export default defineProject({ resolve: { alias }, test: { name: 'autograd', execArgv: ['--expose-gc'] } });

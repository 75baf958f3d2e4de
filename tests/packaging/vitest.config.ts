import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'packaging', testTimeout: 240000 } });

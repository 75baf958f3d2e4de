// An optimizer prints as PyTorch's does: its name, then each parameter group's options in sorted order (the
// options under minigrad's names: weightDecay, initialLr).
import { pyStr } from '@minigrad/tensor';
import type { Optimizer, OptimizerOptions } from './optimizer.js';

export function formatOptimizer(opt: Optimizer<OptimizerOptions>): string {
  let text = `${opt.name} (`;
  opt.paramGroups.forEach((group, i) => {
    text += `\nParameter Group ${i}\n`;
    const options = group as unknown as Record<string, unknown>;
    for (const key of Object.keys(options).sort()) if (key !== 'params') text += `    ${key}: ${pyStr(options[key])}\n`;
  });
  return `${text})`;
}

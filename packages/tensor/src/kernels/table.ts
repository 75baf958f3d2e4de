// Typing helpers for the kernel tables: a group of kernels of one signature keeps its names as a type
// (`tableOf<UnaryKernel>()({ exp: ..., log: ... })` has the type { exp: UnaryKernel; log: UnaryKernel }),
// and a group joins the registry's table under a prefix ('unary.exp').

/** A kernel of any signature (what the registry stores). */
export type Kernel = (...args: never[]) => unknown;

/** Types a table of kernels of signature F by its names; the kernels' parameters take their types from F. */
export function tableOf<F extends Kernel>(): <N extends string>(kernels: Record<N, F>) => Record<N, F> {
  return (kernels) => kernels;
}

/** The kernels of a group renamed '<prefix>.<name>'. */
export type Prefixed<P extends string, T> = { [K in keyof T & string as `${P}.${K}`]: T[K] };

export function prefixed<P extends string, T extends Record<string, Kernel>>(prefix: P, kernels: T): Prefixed<P, T> {
  const out: Record<string, Kernel> = {};
  for (const [name, k] of Object.entries(kernels)) out[`${prefix}.${name}`] = k;
  return out as Prefixed<P, T>;
}

// Class names that survive minification. A minifier renames classes (`class Linear` becomes `class be`), so
// `constructor.name` prints mangled names in a browser bundle; a string literal in a static field is kept.
// Every exported class of minigrad declares `static readonly typeName = '<its name>'` (TypeScript forbids
// `static name`); a user's class may declare one too, else its `constructor.name` is used.

/**
 * The name of `value`'s class (or of `value` itself when it is a class): the class's own static `typeName`,
 * else its `constructor.name`. Only an own `typeName` counts, so a subclass that declares none is not printed
 * under its parent's name.
 */
export function typeNameOf(value: unknown): string {
  let ctor: unknown;
  try {
    ctor = typeof value === 'function' ? value : value === null || value === undefined ? undefined : Object.getPrototypeOf(value)?.constructor;
  } catch {
    return 'Object'; // a proxy whose getPrototypeOf trap throws
  }
  if (typeof ctor !== 'function') return 'Object';
  const own = Object.getOwnPropertyDescriptor(ctor, 'typeName');
  if (own !== undefined && typeof own.value === 'string') return own.value;
  return typeof ctor.name === 'string' ? ctor.name : 'Object';
}

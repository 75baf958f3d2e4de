// Module: the base of every layer. Parameters and child modules register themselves by being assigned as
// properties (`this.weight = new Parameter(...)`, `this.fc = new Linear(...)`); they are found by scanning the
// module's own properties in creation order, which is assignment order as in PyTorch (a class field declared
// with `!` creates its property at declaration: use `declare field: T` or declare in assignment order).
// Buffers are plain tensors, so they are registered explicitly with `registerBuffer`.
import { ArgumentError, MinigradError, Tensor, checkBool, checkFunction, checkOneOf, checkOptions, describeValue, keep, typeNameOf } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { dropGrad, peekGrad } from '@minigrad/autograd/internal';
import { activeRecording, captureGuard, refuseCapture } from '@minigrad/tensor/internal';
import { Parameter } from './parameter.js';
import { addHook, attachBackwardHooks } from './hooks.js';
import type { BackwardHook, ForwardHook, ForwardPreHook, RemovableHandle } from './hooks.js';
import { addIndent } from './repr.js';
import { loadStateDict, stateDict } from './state-dict.js';
import type { LoadStateDictResult, StateDict, StateDictInput } from './state-dict.js';

/** How deep we are in nested `call`s. */
let callDepth = 0;
/**
 * The module of the outermost `call` running now (or last). Dotted names are looked up in its tree only when
 * needed (an error message), so that the hot path of `call` does no traversal.
 */
let outermost: Module | null = null;
/** Dotted names in the tree of `outermost`, built on first use after each outermost call starts. */
let names: Map<Module, string> | null = null;

/** Errors that a module has already prefixed with its name and path (the innermost module does it, once). */
const annotated = new WeakSet<Error>();

/** How many inputs each forward accepts at most, read once per function from its parameter list. */
const forwardArity = new WeakMap<(...args: never[]) => unknown, number>();

/**
 * The most arguments `fn` can use: its parameters, counting those with defaults, which `fn.length` does not
 * (Infinity with a rest parameter, or when the source cannot be read as a plain parameter list).
 */
function maxArity(fn: (...args: never[]) => unknown): number {
  let n = forwardArity.get(fn);
  if (n !== undefined) return n;
  n = Infinity;
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  if (open >= 0 && !src.slice(0, open).includes('=>')) {
    let depth = 0;
    let count = 0;
    let token = false;
    for (let i = open + 1; i < src.length; i++) {
      const c = src[i];
      if (c === '"' || c === "'" || c === '`' || c === '/') break; // a string or comment in the list: give up
      if (depth === 0 && src.startsWith('...', i)) break;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) {
          n = count + (token ? 1 : 0);
          break;
        }
        depth--;
      } else if (c === ',' && depth === 0) {
        count++;
        token = false;
        continue;
      }
      if (c.trim() !== '') token = true;
    }
  }
  if (n < fn.length) n = Infinity;
  forwardArity.set(fn, n);
  return n;
}

/**
 * Base class of every layer and model: parameters, buffers and submodules are registered by assigning them as
 * properties (`this.weight = new Parameter(...)`, `this.conv = new Conv2d(...)`; buffers with `registerBuffer`).
 * Override `forward` and run a module with `call(...)` (JS objects cannot be called like PyTorch modules).
 * PyTorch: `torch.nn.Module`.
 */
export class Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Module';
  /** Whether the module is in training mode (`train()` / `eval()` set it on the whole tree). */
  training = true;
  /**
   * What a captured step's guard compares (see `call`): every own attribute by value or identity (a parameter
   * with its tensor), and how many hooks there are.
   */
  private readonly attributesNow = (): unknown => {
    const now: unknown[] = [this._forwardPreHooks.size, this._forwardHooks.size, this._backwardHooks.size];
    for (const v of Object.values(this)) {
      now.push(v);
      if (v instanceof Variable) now.push(v.data);
    }
    return now;
  };
  /** Registered buffer names in registration order, mapped to whether they are persistent (in the state dict). */
  private readonly _buffers = new Map<string, boolean>();
  private readonly _forwardPreHooks = new Map<number, ForwardPreHook>();
  private readonly _forwardHooks = new Map<number, ForwardHook>();
  private readonly _backwardHooks = new Map<number, BackwardHook>();

  /** The computation. Subclasses override it; run a module with `call(...)` so that hooks fire. */
  forward(..._inputs: any[]): any {
    throw new ArgumentError(`${typeNameOf(this)}.forward`, 'not implemented (containers like ModuleList have none)');
  }

  /**
   * Runs forward pre-hooks, `forward`, then forward hooks (and wires backward hooks). JavaScript objects cannot be
   * called like functions, so `model.call(x)` is what PyTorch writes as `model(x)`.
   */
  call(...inputs: Parameters<this['forward']>): ReturnType<this['forward']> {
    if (callDepth === 0) {
      outermost = this;
      names = null;
    }
    callDepth++;
    try {
      if (inputs.length === 0 && this.forward.length > 0) {
        throw new ArgumentError('call', `forward takes ${this.forward.length} input(s), got none`);
      }
      const most = maxArity(this.forward);
      if (inputs.length > most) throw new ArgumentError('call', `forward takes at most ${most} input(s), got ${inputs.length}`);
      // A captured step (compile) replays this forward only while the module's attributes are these.
      if (activeRecording() !== null) {
        if (this._forwardPreHooks.size + this._forwardHooks.size + this._backwardHooks.size > 0) refuseCapture(`hooks of ${typeNameOf(this)} run JavaScript`);
        captureGuard(`the attributes of ${typeNameOf(this)} (training, parameters, options)`, this.attributesNow);
      }
      let args: unknown[] = inputs;
      // Hooks are copied before running so that a hook may remove itself; skipped entirely when there are none.
      if (this._forwardPreHooks.size > 0) {
        for (const hook of [...this._forwardPreHooks.values()]) {
          const result = hook(this, args);
          if (result !== undefined) args = Array.isArray(result) ? result : [result];
        }
      }
      const wired = this._backwardHooks.size > 0 ? attachBackwardHooks(this, this._backwardHooks, args) : undefined;
      if (wired) args = wired.inputs;
      let output: unknown = this.forward(...args);
      if (this._forwardHooks.size > 0) {
        for (const hook of [...this._forwardHooks.values()]) {
          const result = hook(this, args, output);
          if (result !== undefined) output = result;
        }
      }
      wired?.watchOutput(output);
      return output as ReturnType<this['forward']>;
    } catch (e) {
      // The op that rejected its input said what was wrong; the innermost module adds which layer of the model
      // called it: `Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1)) at 'features.0': conv2d: input has ...`.
      // (A layer whose own check already named it, `BatchNorm1d(6) at '1'`, is left as it is.)
      if (e instanceof MinigradError && !annotated.has(e)) {
        annotated.add(e);
        if (!e.op.startsWith(`${typeNameOf(this)}(`)) e.message = `${this.describe(this.signature())}: ${e.message}`;
      }
      throw e;
    } finally {
      callDepth--;
    }
  }

  /** How this module is named in error messages: `Linear(in_features=4, out_features=2, bias=True)`, a container by its class. */
  protected signature(): string {
    const extra = this.extraRepr();
    return extra.includes('\n') ? typeNameOf(this) : `${typeNameOf(this)}(${extra})`;
  }

  // ---- registration ----

  /**
   * Registers a tensor that is part of the module's state but not a parameter (BatchNorm's running stats).
   * It becomes the property `this[name]`; reassigning the property replaces the buffer. Non-persistent buffers
   * are left out of the state dict. A Variable that does not require grad is stored as its tensor.
   */
  registerBuffer(name: string, value: Tensor | Variable | null, opts: { persistent?: boolean } = {}): void {
    const { persistent = true } = checkOptions('registerBuffer', opts, ['persistent']);
    checkMemberName(this, name, 'registerBuffer');
    checkBool('registerBuffer', 'persistent', persistent);
    // A Variable (nn's zeros/ones/tensor return them) gives its tensor; one that requires grad is a parameter.
    if (value instanceof Variable && value.requiresGrad) {
      throw new ArgumentError('registerBuffer', `'${name}' requires grad, and a buffer holds no gradient (assign a Parameter, or register x.detach())`);
    }
    const tensor = value instanceof Variable ? value.data : value;
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new ArgumentError('registerBuffer', `'${name}' must be a Tensor or null, got ${describeValue(tensor)}`);
    }
    const existing = (this as unknown as Record<string, unknown>)[name];
    if (!this._buffers.has(name) && existing !== undefined) {
      throw new ArgumentError('registerBuffer', `attribute '${name}' already exists on ${typeNameOf(this)}`);
    }
    // A buffer lives as long as its module, whatever tidy() scope registered it.
    (this as unknown as Record<string, unknown>)[name] = keep(tensor);
    this._buffers.set(name, persistent);
  }

  /** Explicit form of `this[name] = param` (PyTorch's `register_parameter`); `null` reserves the slot. */
  registerParameter(name: string, param: Parameter | null): void {
    checkMemberName(this, name, 'registerParameter');
    if (param !== null && !(param instanceof Parameter)) {
      throw new ArgumentError('registerParameter', `'${name}' must be a Parameter or null`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Explicit form of `this[name] = module` (PyTorch's `add_module` / `register_module`). */
  registerModule(name: string, module: Module | null): void {
    checkMemberName(this, name, 'registerModule');
    if (module !== null && !(module instanceof Module)) {
      throw new ArgumentError('registerModule', `'${name}' must be a Module or null`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /**
   * This module's own members as (name, value) in registration order. Containers that keep their children
   * elsewhere (ModuleDict) override it.
   */
  protected ownMembers(): Iterable<[string, unknown]> {
    return Object.entries(this);
  }

  /**
   * The state-dict key segment for a member name. PyTorch attributes are snake_case and minigrad's are
   * camelCase, so `runningMean` is saved as `running_mean` (`qkvProj` as `qkv_proj`, `httpURLParser` as
   * `http_url_parser`); names without a lowercase letter (`W`) are kept. Containers whose keys are data
   * (ModuleDict, Sequential) override this to keep them as they are.
   */
  stateDictKey(memberName: string): string {
    if (typeof memberName !== 'string') throw new ArgumentError('stateDictKey', `memberName must be a string, got ${describeValue(memberName)}`);
    if (!/[a-z]/.test(memberName)) return memberName;
    return memberName
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase();
  }

  // ---- traversal ----

  /**
   * The direct submodules with their property names (a module assigned twice is listed once). PyTorch: `torch.nn.Module.named_children`.
   */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, value] of this.ownMembers()) {
      if (value instanceof Module && !seen.has(value)) {
        seen.add(value);
        yield [name, value];
      }
    }
  }

  /** The direct submodules. PyTorch: `torch.nn.Module.children`. */
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and every descendant once, depth first, with dotted names ('' for this module). */
  *namedModules(prefix = '', memo: Set<Module> = new Set()): Generator<[string, Module]> {
    if (typeof prefix !== 'string') throw new ArgumentError('namedModules', `prefix must be a string, got ${describeValue(prefix)}`);
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix === '' ? name : `${prefix}.${name}`, memo);
    }
  }

  /** This module and every descendant once, depth first. PyTorch: `torch.nn.Module.modules`. */
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** This module's own parameters (not its children's), skipping `null` slots. */
  *namedOwnParameters(): Generator<[string, Parameter]> {
    for (const [name, value] of this.ownMembers()) if (value instanceof Parameter) yield [name, value];
  }

  /** This module's own buffers in registration order, with their persistence flag. */
  *namedOwnBuffers(): Generator<[string, Tensor, boolean]> {
    const self = this as unknown as Record<string, unknown>;
    for (const [name, persistent] of this._buffers) {
      const t = self[name];
      if (t !== null && t !== undefined) yield [name, t as Tensor, persistent];
    }
  }

  /** Parameters with dotted names (`features.0.weight`); a parameter shared by two modules is listed once. */
  *namedParameters(opts: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Parameter]> {
    const { prefix = '', recurse = true } = memberOptions('namedParameters', opts);
    yield* this.namedMembers((m) => m.namedOwnParameters(), prefix, recurse);
  }

  /**
   * Every parameter of this module and (unless `recurse: false`) its descendants, each once. PyTorch: `torch.nn.Module.parameters`.
   */
  *parameters(opts: { recurse?: boolean } = {}): Generator<Parameter> {
    const { recurse = true } = memberOptions('parameters', opts, ['recurse']);
    for (const [, p] of this.namedParameters({ recurse })) yield p;
  }

  /** Buffers (running statistics, ...) with dotted names, each once. PyTorch: `torch.nn.Module.named_buffers`. */
  *namedBuffers(opts: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Tensor]> {
    const { prefix = '', recurse = true } = memberOptions('namedBuffers', opts);
    yield* this.namedMembers((m) => m.namedOwnBuffers(), prefix, recurse);
  }

  /** What `own` lists of this module (and, with recurse, of every descendant) with dotted names; shared ones once. */
  private *namedMembers<T>(own: (m: Module) => Iterable<readonly [string, T, ...unknown[]]>, prefix: string, recurse: boolean): Generator<[string, T]> {
    const seen = new Set<T>();
    const mods: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modName, mod] of mods) {
      for (const [name, x] of own(mod)) {
        if (seen.has(x)) continue;
        seen.add(x);
        yield [modName === '' ? name : `${modName}.${name}`, x];
      }
    }
  }

  /** Every buffer of this module and (unless `recurse: false`) its descendants. PyTorch: `torch.nn.Module.buffers`. */
  *buffers(opts: { recurse?: boolean } = {}): Generator<Tensor> {
    const { recurse = true } = memberOptions('buffers', opts, ['recurse']);
    for (const [, t] of this.namedBuffers({ recurse })) yield t;
  }

  /** The descendant at a dotted path (`'features.0'`); '' is this module. */
  getSubmodule(target: string): Module {
    if (typeof target !== 'string') throw new ArgumentError('getSubmodule', `target must be a dotted name (a string), got ${describeValue(target)}`);
    let m: Module = this;
    if (target === '') return m;
    for (const part of target.split('.')) {
      const next = new Map(m.ownMembers()).get(part);
      if (!(next instanceof Module)) {
        throw new ArgumentError('getSubmodule', `${typeNameOf(m)} has no submodule '${part}' (path '${target}')`);
      }
      m = next;
    }
    return m;
  }

  // ---- modes and bulk operations ----

  /**
   * Converts every floating-point parameter and buffer to `dtype` in place (the Parameter objects stay the
   * same, so optimizers created later see them; their gradients are dropped). Integer buffers are kept.
   */
  to(dtype: 'float32' | 'float64'): this {
    checkOneOf('to', 'dtype', dtype, ['float32', 'float64'] as const);
    for (const m of this.modules()) {
      for (const [, p] of m.namedOwnParameters()) {
        if (p.dtype !== dtype) {
          p.data = keep(p.data.to(dtype));
          p.grad = null;
        }
      }
      const self = m as unknown as Record<string, unknown>;
      for (const [name, t] of m.namedOwnBuffers()) {
        if ((t.dtype === 'float32' || t.dtype === 'float64') && t.dtype !== dtype) self[name] = keep(t.to(dtype));
      }
    }
    return this;
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    checkBool('train', 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode on this module and all descendants (`train(false)`). PyTorch: `torch.nn.Module.eval`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient: sets it to null (default, as PyTorch 2) or fills it with zeros. */
  zeroGrad(opts: { setToNull?: boolean } = {}): void {
    const { setToNull = true } = checkOptions('zeroGrad', opts, ['setToNull']);
    checkBool('zeroGrad', 'setToNull', setToNull);
    for (const p of this.parameters()) {
      const grad = peekGrad(p);
      if (grad === null) continue;
      // dropGrad hands a gradient nobody has read back to the pool, for the next backward to reuse.
      if (setToNull) dropGrad(p);
      else grad.data.fill(0);
    }
  }

  /** Calls `fn` on every descendant (children first) and then on this module, as PyTorch's `apply`. */
  apply(fn: (m: Module) => void): this {
    checkFunction('apply', 'fn', fn);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (freezing with `false`). */
  requiresGrad_(requiresGrad = true): this {
    checkBool('requiresGrad_', 'requiresGrad', requiresGrad);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  // ---- state dict ----

  /**
   * Parameters and persistent buffers under PyTorch's dotted snake_case keys (`features.0.weight`,
   * `bn.running_mean`, `bn.num_batches_tracked`); values share storage with the module.
   */
  stateDict(): StateDict {
    return stateDict(this);
  }

  /**
   * Copies a state dict into this module's parameters and buffers (in place). Shape mismatches always throw;
   * with `strict` (default) missing or unexpected keys throw too, otherwise they are returned. Nothing is copied
   * unless the whole dict is acceptable.
   */
  loadStateDict(sd: StateDictInput, opts?: { strict?: boolean }): LoadStateDictResult {
    const { strict = true } = checkOptions('loadStateDict', opts, ['strict']);
    return loadStateDict(this, sd, strict);
  }

  // ---- hooks ----

  /**
   * Runs `hook(module, inputs)` before each `call`'s forward; it may return replacement inputs.
   * PyTorch: `torch.nn.Module.register_forward_pre_hook`.
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this._forwardPreHooks, hook);
  }

  /**
   * Runs `hook(module, inputs, output)` after each `call`'s forward; it may return a replacement output.
   * PyTorch: `torch.nn.Module.register_forward_hook`.
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this._forwardHooks, hook);
  }

  /**
   * Runs `hook(module, gradInputs, gradOutputs)` when the gradients with respect to the module's inputs are computed.
   * PyTorch: `torch.nn.Module.register_full_backward_hook`.
   */
  registerFullBackwardHook(hook: BackwardHook): RemovableHandle {
    return addHook(this._backwardHooks, hook);
  }

  // ---- names and printing ----

  /**
   * The dotted name of this module in the tree of the outermost module being (or last) called ('' for that
   * module itself), or undefined when it is not part of that tree. Found by a search: meant for messages.
   */
  get qualifiedName(): string | undefined {
    if (outermost === null) return undefined;
    names ??= new Map([...outermost.namedModules()].map(([name, m]) => [m, name]));
    return names.get(this);
  }

  /**
   * Names this layer in error messages: `Conv2d(3, 16) at 'features.0'` when its dotted name is known (from
   * the outermost `call`), else just the signature.
   */
  protected describe(signature: string): string {
    const name = this.qualifiedName;
    return name ? `${signature} at '${name}'` : signature;
  }

  /** The text inside this module's parentheses in `toString()` (`in_features=4, out_features=2, bias=True`). */
  extraRepr(): string {
    return '';
  }

  /** The module tree as PyTorch prints it. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra === '' ? [] : extra.split('\n');
    const childLines: string[] = [];
    for (const [name, child] of this.namedChildren()) childLines.push(`(${name}): ${addIndent(child.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let text = `${typeNameOf(this)}(`;
    if (lines.length > 0) {
      text += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join('\n  ')}\n`;
    }
    return `${text})`;
  }

  /** console.log in Node prints the tree as toString() does (a well-known symbol: no node: import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The options of the member iterators: `{ prefix, recurse }`, checked by type. */
function memberOptions(op: string, opts: unknown, known: readonly ('prefix' | 'recurse')[] = ['prefix', 'recurse']): { prefix?: string; recurse?: boolean } {
  const o = checkOptions(op, opts as { prefix?: string; recurse?: boolean } | undefined, known);
  if (o.prefix !== undefined && typeof o.prefix !== 'string') throw new ArgumentError(op, `prefix must be a string, got ${describeValue(o.prefix)}`);
  if (o.recurse !== undefined) checkBool(op, 'recurse', o.recurse);
  return o;
}

function checkMemberName(module: Module, name: string, op: string): void {
  if (typeof name !== 'string') throw new ArgumentError(op, `name must be a string, got ${describeValue(name)}`);
  if (name === '' || name.includes('.')) {
    throw new ArgumentError(op, `name '${name}' must be non-empty and contain no '.' (on ${typeNameOf(module)})`);
  }
}

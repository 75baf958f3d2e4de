// Containers: Sequential (runs its children in order), ModuleList and ModuleDict (hold modules, no forward).
import { ArgumentError, IndexError, checkInt, describeValue, typeNameOf } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Module } from '../module.js';

function checkIterable(op: string, name: string, v: unknown): void {
  if (typeof v !== 'object' || v === null || !(Symbol.iterator in v)) throw new ArgumentError(op, `${name} must be an iterable of Modules, got ${describeValue(v)}`);
}

function checkModule(op: string, name: string, m: unknown): asserts m is Module {
  if (!(m instanceof Module)) throw new ArgumentError(op, `entry '${name}' is not a Module`);
}

/** Module members stored as properties keyed by index or name; their keys are data, kept verbatim. */
abstract class IndexedContainer extends Module {
  /** The stored modules with their keys, in order (duplicates kept: the same module twice runs twice). */
  protected entries(): [string, Module][] {
    const out: [string, Module][] = [];
    const self = this as unknown as Record<string, unknown>;
    for (const k of Object.keys(self)) {
      const v = self[k];
      if (v instanceof Module) out.push([k, v]);
    }
    return out;
  }

  override stateDictKey(memberName: string): string {
    return memberName;
  }

  /** The number of modules. PyTorch: `len(container)`. */
  get length(): number {
    return this.entries().length;
  }

  /** The module at position `index` (negative counts from the end). */
  at(index: number): Module {
    checkInt(`${typeNameOf(this)}.at`, 'index', index);
    const list = this.entries();
    const i = index < 0 ? index + list.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= list.length) {
      throw new IndexError(`${typeNameOf(this)}.at`, `index ${index} is out of range for ${list.length} modules`);
    }
    return list[i][1];
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.entries()
      .map(([, m]) => m)
      [Symbol.iterator]();
  }

  /** Stores `m` under `key`, refusing keys that would shadow a member of the class (`forward`, `train`, ...). */
  protected put(op: string, key: string, m: unknown): void {
    checkModule(op, key, m);
    if (!Object.prototype.hasOwnProperty.call(this, key) && key in this) {
      throw new ArgumentError(op, `name '${key}' clashes with a ${typeNameOf(this)} member`);
    }
    this.registerModule(key, m);
  }

  /** Re-stores `modules` under the keys 0..n-1 (after an insertion). */
  protected renumber(modules: Module[]): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [k] of this.entries()) delete self[k];
    modules.forEach((m, i) => this.registerModule(String(i), m));
  }
}

/**
 * Runs its children in order, each through `call` (so their hooks fire): `new Sequential(a, b, c)`, or with
 * names, `new Sequential({ conv: a, act: b })` (names must not be integers, which JavaScript would reorder).
 */
export class Sequential extends IndexedContainer {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Sequential';
  [index: number]: Module;

  constructor(...modules: Module[] | [Record<string, Module> | Map<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      const named = first instanceof Map ? [...first] : Object.entries(first as Record<string, Module>);
      for (const [name, m] of named) this.put('Sequential', name, m);
    } else {
      (modules as Module[]).forEach((m, i) => this.put('Sequential', String(i), m));
    }
  }

  /**
   * Typed for the usual chain of layers ending in a Variable (the first may take a Tensor, as Embedding's
   * indices); the values themselves pass through untouched.
   */
  override forward(input: Variable | Tensor): Variable {
    let x: unknown = input;
    for (const [, m] of this.entries()) x = m.call(x);
    return x as Variable;
  }

  /** Adds `m` at the end. PyTorch: `torch.nn.Sequential.append`. */
  append(m: Module): this {
    this.put('Sequential.append', String(this.length), m);
    return this;
  }

  /** A new Sequential sharing the modules in positions [start, end). */
  slice(start?: number, end?: number): Sequential {
    if (start !== undefined) checkInt('Sequential.slice', 'start', start);
    if (end !== undefined) checkInt('Sequential.slice', 'end', end);
    return new Sequential(...this.entries().slice(start, end).map(([, m]) => m));
  }
}

/** Holds modules in a list so that they are registered (a plain array is not); it has no forward. */
export class ModuleList extends IndexedContainer {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ModuleList';
  [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** Adds `m` at the end. PyTorch: `torch.nn.ModuleList.append`. */
  append(m: Module): this {
    this.put('ModuleList.append', String(this.length), m);
    return this;
  }

  /** Appends each module of `modules`. PyTorch: `torch.nn.ModuleList.extend`. */
  extend(modules: Iterable<Module>): this {
    checkIterable('ModuleList.extend', 'modules', modules);
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `m` before position `index` (negative counts from the end). */
  insert(index: number, m: Module): this {
    checkInt('ModuleList.insert', 'index', index);
    checkModule('ModuleList.insert', String(index), m);
    const list = this.entries().map(([, v]) => v);
    const i = Math.min(Math.max(index < 0 ? index + list.length : index, 0), list.length);
    list.splice(i, 0, m);
    this.renumber(list);
    return this;
  }
}

/** Holds modules under string keys (kept verbatim in state-dict keys, in insertion order); it has no forward. */
export class ModuleDict extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ModuleDict';
  private readonly _modules = new Map<string, Module>();

  constructor(modules: Record<string, Module> | Map<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    if (typeof modules !== 'object' || modules === null) throw new ArgumentError('ModuleDict', `modules must be an object, a Map or an iterable of [key, Module] pairs, got ${describeValue(modules)}`);
    const pairs = modules instanceof Map || Symbol.iterator in modules ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules);
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ArgumentError('ModuleDict', `entries must be [key, Module] pairs, got ${describeValue(pair)}`);
      this.set(pair[0], pair[1]);
    }
  }

  protected override ownMembers(): Iterable<[string, unknown]> {
    return this._modules.entries();
  }

  override stateDictKey(memberName: string): string {
    return memberName;
  }

  /** The module under `key`, or undefined. PyTorch: `ModuleDict[key]`. */
  get(key: string): Module | undefined {
    return this._modules.get(key);
  }

  /** Registers `m` under `key` (non-empty, no '.'), replacing any module there. PyTorch: `ModuleDict[key] = m`. */
  set(key: string, m: Module): this {
    if (typeof key !== 'string') throw new ArgumentError('ModuleDict.set', `key must be a string, got ${describeValue(key)}`);
    checkModule('ModuleDict.set', key, m);
    if (key === '' || key.includes('.')) throw new ArgumentError('ModuleDict.set', `key '${key}' must be non-empty and contain no '.'`);
    this._modules.set(key, m);
    return this;
  }

  /** Whether a module is registered under `key`. PyTorch: `key in ModuleDict`. */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes the module under `key`; false when there was none. PyTorch: `ModuleDict.pop`. */
  delete(key: string): boolean {
    return this._modules.delete(key);
  }

  /** The number of modules. PyTorch: `len(ModuleDict)`. */
  get size(): number {
    return this._modules.size;
  }

  /** The keys in insertion order. PyTorch: `torch.nn.ModuleDict.keys`. */
  keys(): IterableIterator<string> {
    return this._modules.keys();
  }

  /** The modules in insertion order. PyTorch: `torch.nn.ModuleDict.values`. */
  values(): IterableIterator<Module> {
    return this._modules.values();
  }

  /** The [key, module] pairs in insertion order. PyTorch: `torch.nn.ModuleDict.items`. */
  entries(): IterableIterator<[string, Module]> {
    return this._modules.entries();
  }

  /** Iterates over the keys, as PyTorch's ModuleDict does. */
  [Symbol.iterator](): IterableIterator<string> {
    return this._modules.keys();
  }
}

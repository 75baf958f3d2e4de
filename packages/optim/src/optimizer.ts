// The Optimizer base: parameter groups with defaults filled in, per-parameter state, zeroGrad, step, and a
// JSON-serializable state dict laid out as PyTorch's (state keyed by parameter index, groups listing indices).
import { ArgumentError, DTypeError, ShapeError, Tensor, checkBool, checkFunction, checkOptions, describeValue, fmtShape } from '@minigrad/tensor';
import { Variable, enableGrad, noGrad, variable } from '@minigrad/autograd';
import { dropGrad, peekGrad } from '@minigrad/autograd/internal';
import { activeRecording, captureGuard, recordCall } from '@minigrad/tensor/internal';
import { commitParam, denseGrad, updateTarget } from './flat.js';
import { formatOptimizer } from './repr.js';
import { decodeTensor, encodeTensor, isEncodedTensor, type EncodedTensor } from './state-codec.js';

/** Every optimizer has a learning rate; the rest is optimizer-specific. */
export interface OptimizerOptions {
  /** The learning rate. */
  lr: number;
}

/** Fields the LR schedulers add to a group; they travel with the group in state dicts, as in PyTorch. */
export interface ScheduleFields {
  /** The group's learning rate when its first scheduler was created (PyTorch's `initial_lr`). */
  initialLr?: number;
  /** OneCycleLR's peak learning rate. */
  maxLr?: number;
  /** OneCycleLR's final learning rate. */
  minLr?: number;
  /** OneCycleLR's momentum at the start and end of the cycle. */
  maxMomentum?: number;
  /** OneCycleLR's momentum at the peak learning rate. */
  baseMomentum?: number;
}

/** A parameter group as the optimizer holds it: its parameters and its options, defaults filled in. */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & ScheduleFields & GroupParams;

/** The parameters of a group as the optimizer holds them. */
export interface GroupParams {
  /** The group's parameters. */
  params: Variable[];
}

/** A group as passed in: its params plus any options that override the optimizer's defaults. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & GroupParamsInput;

/** The parameters of a group as passed in. */
export interface GroupParamsInput {
  /** One Variable or any iterable of them (`model.parameters()`). */
  params: Variable | Iterable<Variable>;
}

/** What an optimizer takes: parameters (one group) or parameter groups. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Variable> | Iterable<ParamGroupInput<O>>;

/** One parameter's state: tensors shaped like the parameter and plain numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/**
 * What an update writes, named in its recorded call as every recorded call names the memory it touches (a
 * captured step keeps it in place, and checks its first replay against an eager call from the same values):
 * each parameter's tensor and its state (tensors, and numbers such as Adam's step count).
 */
function updateMemory(groups: readonly { params: readonly Variable[] }[], state: Map<Variable, ParamState>): unknown[] {
  const out: unknown[] = [];
  for (const group of groups) {
    for (const p of group.params) {
      out.push(p.data);
      const s = state.get(p);
      if (s !== undefined) out.push(s);
    }
  }
  return out;
}

/** An optimizer's update as a captured step replays it. */
function runUpdate(update: () => void): void {
  noGrad(update);
}

/** A parameter group in a state dict: its options, and its parameters as indices. */
export interface SavedParamGroup {
  /** The group's options (lr, betas, ...). */
  [option: string]: unknown;
  /** Indices of the group's parameters, in the order of the parameters across the groups. */
  params: number[];
}

/** What `Optimizer.stateDict()` returns: JSON-serializable, laid out as PyTorch's. */
export interface OptimizerStateDict {
  /** The optimizer class that wrote it; loading into another one is an error. */
  optimizer: string;
  /** State by parameter index (the order of the parameters across the groups). */
  state: Record<string, Record<string, number | EncodedTensor>>;
  /** Each group's options, with `params` as parameter indices. */
  paramGroups: SavedParamGroup[];
}

/** The fields LR schedulers add to a group (see ScheduleFields). */
const SCHEDULE_FIELDS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

/** A hint for the common mistake of passing tensors instead of the model's parameters. */
function tensorHint(value: unknown): string {
  return value instanceof Tensor ? ' (a Tensor holds no gradient: pass model.parameters() or Variables with requiresGrad)' : '';
}

function copyOption(value: unknown): unknown {
  return Array.isArray(value) ? value.slice() : value;
}

/**
 * Base of the optimizers: parameter groups with their options, per-parameter state, `zeroGrad`, `step` and
 * a state dict. Updates `p.data` in place with recording off. PyTorch: `torch.optim.Optimizer`.
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Optimizer';
  /** The class name used in error messages and state dicts ('SGD', 'Adam', ...). */
  readonly name: string;
  /** The options a group takes when it does not set them (frozen). PyTorch: `Optimizer.defaults`. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with its options. PyTorch: `Optimizer.param_groups`. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, step counts, ...), created on a parameter's first step. PyTorch: `Optimizer.state`. */
  readonly state = new Map<Variable, ParamState>();

  protected constructor(name: string, params: Params<O>, defaults: O) {
    this.name = name;
    this.checkGroup(defaults, name);
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Variable || params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new ArgumentError(name, `params must be an iterable of Variables or of parameter groups, got ${describeValue(params)}${tensorHint(params)}`);
    }
    const list = [...(params as Iterable<Variable | ParamGroupInput<O>>)];
    if (list.length === 0) throw new ArgumentError(name, 'got an empty parameter list');
    if (list[0] instanceof Variable) this.addParamGroup({ params: list as Variable[] } as unknown as ParamGroupInput<O>);
    else for (const group of list) this.addParamGroup(group as ParamGroupInput<O>);
  }

  /** Throws an ArgumentError naming `op` when an option is out of range. */
  protected abstract validate(options: O, op: string): void;

  /** Every option named in `booleanOptions` must be a real boolean ('false' would turn it on), then `validate`. */
  private checkGroup(o: O, op: string): void {
    for (const key of this.booleanOptions()) checkBool(op, key, (o as unknown as Record<string, unknown>)[key]);
    this.validate(o, op);
  }

  /** The options that are booleans. */
  protected abstract booleanOptions(): readonly string[];

  /**
   * Updates `target` (the parameter's values, contiguous) in place from `grad` (dense, of the parameter's
   * shape and dtype) and bumps target's storage version, as tensor in-place ops do; `p` keys the optimizer
   * state. Called with gradient recording off.
   */
  protected abstract updateParam(target: Tensor, grad: Tensor, p: Variable, group: ParamGroup<O>): void;

  /** Updates every parameter of the group that has a gradient (parameters whose grad is null are skipped). */
  private updateGroup(group: ParamGroup<O>): void {
    for (const p of group.params) {
      // peekGrad: the update keeps no reference, so an unseen gradient stays recyclable by zeroGrad.
      const grad = peekGrad(p);
      if (grad === null) continue;
      const g = denseGrad(this.name, p, grad);
      const target = updateTarget(p);
      this.updateParam(target, g, p, group);
      commitParam(p, target);
    }
  }

  /** Adds a group; options it does not give come from the defaults. */
  addParamGroup(group: ParamGroupInput<O>): void {
    const op = `${this.name}.addParamGroup`;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new ArgumentError(op, `a parameter group must be an object with a params field, got ${describeValue(group)}${tensorHint(group)}`);
    }
    checkOptions(op, group, ['params', ...Object.keys(this.defaults), ...SCHEDULE_FIELDS] as (keyof typeof group & string)[]);
    const raw = group.params;
    const params: unknown[] =
      raw instanceof Variable ? [raw] : raw !== null && typeof raw === 'object' && Symbol.iterator in raw ? [...raw] : [raw];
    const index = this.paramGroups.length;
    const seen = new Set<Variable>();
    params.forEach((p, i) => {
      const where = `parameter ${i} of group ${index}`;
      if (!(p instanceof Variable)) throw new ArgumentError(this.name, `${where} is not a Variable, got ${describeValue(p)}${tensorHint(p)}`);
      const shape = fmtShape(p.data.shape);
      if (p.data.dtype !== 'float32' && p.data.dtype !== 'float64') {
        throw new DTypeError(this.name, `${where} (shape ${shape}) has dtype ${p.data.dtype}; only float32 and float64 can be optimized`);
      }
      if (!p.requiresGrad) throw new ArgumentError(this.name, `${where} (shape ${shape}) does not require grad`);
      if (!p.isLeaf) throw new ArgumentError(this.name, `can't optimize a non-leaf Variable (${where}, shape ${shape})`);
      if (seen.has(p)) throw new ArgumentError(this.name, `${where} (shape ${shape}) appears twice in the group`);
      seen.add(p);
    });
    this.paramGroups.forEach((other, j) => {
      for (const p of other.params) {
        if (seen.has(p)) {
          throw new ArgumentError(this.name, `some parameters appear in more than one parameter group (groups ${j} and ${index}, shape ${fmtShape(p.data.shape)})`);
        }
      }
    });
    const filled: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.defaults)) filled[key] = copyOption(value);
    for (const [key, value] of Object.entries(group)) {
      if (key !== 'params' && value !== undefined) filled[key] = copyOption(value);
    }
    filled.params = params as Variable[];
    this.checkGroup(filled as unknown as O, `${this.name} (group ${index})`);
    this.paramGroups.push(filled as unknown as ParamGroup<O>);
  }

  /**
   * Clears the gradients: to null (the default, as PyTorch 2) or, with setToNull false, to zeros in place.
   * `zeroGrad(false)` is short for `zeroGrad({ setToNull: false })`, as PyTorch's positional set_to_none.
   */
  zeroGrad(options: { setToNull?: boolean } | boolean = {}): void {
    const op = `${this.name}.zeroGrad`;
    const setToNull = checkBool(op, 'setToNull', typeof options === 'boolean' ? options : (checkOptions(op, options, ['setToNull']).setToNull ?? true));
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = peekGrad(p);
        if (grad === null) continue;
        // dropGrad hands a gradient nobody has read back to the pool, for the next backward to reuse.
        if (setToNull) dropGrad(p);
        else if (grad.gradFn === null && !grad.requiresGrad && grad.data.isContiguous()) grad.data.fill(0);
        // A gradient that is part of a graph (createGraph) or a strided view is replaced rather than written into.
        else p.grad = variable(Tensor.zeros(grad.data.shape, grad.data.dtype));
      }
    }
  }

  /**
   * One update of every parameter that has a gradient (parameters whose grad is null are skipped).
   * `closure`, if given, re-evaluates the loss with recording on; its result is returned.
   */
  step<L = unknown>(closure?: () => L): L | undefined {
    if (closure !== undefined) checkFunction(`${this.name}.step`, 'closure', closure);
    const loss = closure === undefined ? undefined : enableGrad(closure);
    // A captured step (compile) replays the whole update as one call, which reads the options (a scheduled
    // learning rate) and the state (Adam's step count) as they are then; it replays only while the groups
    // hold these parameters.
    if (activeRecording() === null) noGrad(this.updateAll); // the eager step builds nothing for a capture
    else {
      captureGuard(`${this.name}'s parameters`, this.paramsNow);
      recordCall(`${this.name}.step`, runUpdate, [this.updateAll], updateMemory(this.paramGroups, this.state));
    }
    return loss;
  }

  /** The parameters of every group and their tensors, as a captured step's guard compares them (by identity). */
  private readonly paramsNow = (): unknown => this.paramGroups.map((g) => g.params.map((p) => [p, p.data]));

  /** Made once, so a step allocates nothing of its own. */
  private readonly updateAll = (): void => {
    for (const group of this.paramGroups) this.updateGroup(group);
  };

  /** The state of `p`, created empty on first use. */
  protected stateOf(p: Variable): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** As PyTorch prints an optimizer: `SGD (`, then `Parameter Group 0` and its options, one a line, sorted. */
  toString(): string {
    return formatOptimizer(this as unknown as Optimizer<OptimizerOptions>);
  }

  /** console.log in Node prints toString(), not the state map (a well-known symbol: no node: import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A snapshot of the optimizer as plain JSON-safe data (tensors copied and encoded). */
  stateDict(): OptimizerStateDict {
    const indexOf = new Map<Variable, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> & { params: number[] } = { params: [] };
      for (const [key, value] of Object.entries(group)) if (key !== 'params') packed[key] = copyOption(value);
      for (const p of group.params) {
        indexOf.set(p, indexOf.size);
        packed.params.push(indexOf.size - 1);
      }
      return packed;
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, s] of this.state) {
      const index = indexOf.get(p);
      if (index === undefined) continue;
      const entry: Record<string, number | EncodedTensor> = {};
      for (const [key, value] of Object.entries(s)) entry[key] = value instanceof Tensor ? encodeTensor(value) : value;
      state[index] = entry;
    }
    return { optimizer: this.name, state, paramGroups };
  }

  /** Restores a state dict from the same optimizer class over the same parameter layout (validated before any change). */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    const sd = stateDict as Partial<OptimizerStateDict> | null;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object' || sd.state === null) {
      throw new ArgumentError(op, 'expected an object with optimizer, state and paramGroups (from stateDict())');
    }
    if (sd.optimizer !== this.name) {
      throw new ArgumentError(op, `the state dict was saved by ${typeof sd.optimizer === 'string' ? sd.optimizer : describeValue(sd.optimizer)}, not ${this.name}`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(op, `the state dict has ${sd.paramGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Variable>();
    const groups = sd.paramGroups.map((saved, i) => {
      const current = this.paramGroups[i];
      if (!Array.isArray(saved.params) || saved.params.length !== current.params.length) {
        throw new ArgumentError(op, `group ${i} has ${Array.isArray(saved.params) ? saved.params.length : 'no'} parameters in the state dict and ${current.params.length} in the optimizer`);
      }
      saved.params.forEach((index, j) => byIndex.set(index, current.params[j]));
      const group: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(this.defaults)) group[key] = copyOption(value);
      for (const [key, value] of Object.entries(saved)) if (key !== 'params') group[key] = copyOption(value);
      group.params = current.params;
      this.checkGroup(group as unknown as O, `${op} (group ${i})`);
      return group as unknown as ParamGroup<O>;
    });
    const state = new Map<Variable, ParamState>();
    for (const [key, saved] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new ArgumentError(op, `the state dict has state for parameter ${key}, which no group lists`);
      const entry: ParamState = {};
      for (const [name, value] of Object.entries(saved)) {
        if (typeof value === 'number') {
          entry[name] = value;
          continue;
        }
        if (!isEncodedTensor(value)) throw new ArgumentError(op, `state ${name} of parameter ${key} is neither a number nor an encoded tensor`);
        let t = decodeTensor(op, `state ${name} of parameter ${key}`, value);
        if (fmtShape(t.shape) !== fmtShape(p.data.shape)) {
          throw new ShapeError(op, `state ${name} of parameter ${key} has shape ${fmtShape(t.shape)}, the parameter ${fmtShape(p.data.shape)}`);
        }
        if (t.dtype !== p.data.dtype) t = t.to(p.data.dtype);
        entry[name] = t;
      }
      state.set(p, entry);
    }
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
  }
}

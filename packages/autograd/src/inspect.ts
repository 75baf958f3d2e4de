// Looking at a graph: the tape behind a Variable as a list of entries, as text, and as Graphviz DOT.
import { fmtShape } from '@minigrad/tensor';
import type { Node } from './tape-node.js';
import { Variable, checkVariable } from './variable.js';

/** One input of a tape entry: an earlier entry, a leaf that requires grad, or a constant. */
export type TapeInput = TapeNodeInput | TapeLeafInput | TapeConstantInput;

/** A tape entry's input that an earlier entry produced. */
export interface TapeNodeInput {
  /** The kind of input. */
  kind: 'node';
  /** That entry's index. */
  index: number;
  /** Its shape. */
  shape: readonly number[];
}

/** A tape entry's input that is a leaf requiring grad. */
export interface TapeLeafInput {
  /** The kind of input. */
  kind: 'leaf';
  /** The leaf's name, or null. */
  name: string | null;
  /** Its shape. */
  shape: readonly number[];
}

/** A tape entry's input that does not require grad (a constant). */
export interface TapeConstantInput {
  /** The kind of input. */
  kind: 'constant';
  /** Its shape. */
  shape: readonly number[];
}

/** One recorded op of a graph, as `tape()` lists it. */
export interface TapeEntry {
  /** Position in execution order (0-based). */
  index: number;
  /** The op's name. */
  op: string;
  /** Where each input comes from. */
  inputs: TapeInput[];
  /** Shape of the output. */
  outputShape: readonly number[];
  /** Dtype of the output. */
  outputDtype: string;
  /** Saved values were freed by a backward without retainGraph. */
  freed: boolean;
}

/** The nodes behind `output` in creation (execution) order. */
function nodesOf(output: Variable): Node[] {
  const seen = new Set<Node>();
  const stack: Node[] = output.gradFn === null ? [] : [output.gradFn];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const e of node.next) if (e !== null && !(e instanceof Variable)) stack.push(e);
  }
  return [...seen].sort((a, b) => a.seq - b.seq);
}

/** The tape that produced `output`: one entry per recorded op, in execution order. */
export function tape(output: Variable): TapeEntry[] {
  checkVariable('tape', 'output', output);
  const nodes = nodesOf(output);
  const position = new Map<Node, number>();
  nodes.forEach((n, i) => position.set(n, i));
  return nodes.map((node, index) => ({
    index,
    op: node.op.name,
    inputs: node.next.map((e, i): TapeInput => {
      const shape = node.shapes[i];
      if (e === null) return { kind: 'constant', shape };
      if (e instanceof Variable) return { kind: 'leaf', name: e.name, shape };
      return { kind: 'node', index: position.get(e)!, shape };
    }),
    outputShape: node.outShape,
    outputDtype: node.outDtype,
    freed: node.released,
  }));
}

function inputText(x: TapeInput): string {
  if (x.kind === 'node') return `%${x.index}`;
  if (x.kind === 'leaf') return `${x.name ?? 'leaf'}${fmtShape(x.shape)}`;
  return `const${fmtShape(x.shape)}`;
}

/**
 * A readable listing of the tape, one line per op:
 * `%2 = add(%1, b[4]) -> [2,4] float32`.
 */
export function formatTape(output: Variable): string {
  checkVariable('formatTape', 'output', output);
  return tape(output)
    .map((e) => `%${e.index} = ${e.op}(${e.inputs.map(inputText).join(', ')}) -> ${fmtShape(e.outputShape)} ${e.outputDtype}${e.freed ? ' (freed)' : ''}`)
    .join('\n');
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Graphviz DOT of the graph behind `output`: one box per op (name and output shape), leaves that
 * require grad as filled ellipses, constants as dashed ones; edges follow the forward data flow
 * (gradients flow against them).
 */
export function toDot(output: Variable): string {
  checkVariable('toDot', 'output', output);
  const lines = ['digraph autograd {', '  rankdir=LR;', '  node [fontname="monospace", fontsize=10];'];
  const entries = tape(output);
  let constants = 0;
  const leafVars = new Map<Variable, string>();
  const nodes = nodesOf(output);
  const position = new Map<Node, number>();
  nodes.forEach((n, i) => position.set(n, i));
  nodes.forEach((node, i) => {
    const e = entries[i];
    lines.push(`  op${i} [shape=box, label=${quote(`${e.op}\n${fmtShape(e.outputShape)}`)}];`);
    node.next.forEach((edge, k) => {
      let from: string;
      if (edge === null) {
        from = `const${constants++}`;
        lines.push(`  ${from} [shape=ellipse, style=dashed, label=${quote(`const\n${fmtShape(node.shapes[k])}`)}];`);
      } else if (edge instanceof Variable) {
        let id = leafVars.get(edge);
        if (id === undefined) {
          id = `leaf${leafVars.size}`;
          leafVars.set(edge, id);
          const label = `${edge.name ?? 'leaf'}\n${fmtShape(edge.shape)}\nrequiresGrad`;
          lines.push(`  ${id} [shape=ellipse, style=filled, fillcolor=lightblue, label=${quote(label)}];`);
        }
        from = id;
      } else {
        from = `op${position.get(edge)}`;
      }
      lines.push(`  ${from} -> op${i};`);
    });
  });
  const outLabel = `${output.name ?? 'output'}\n${fmtShape(output.shape)}`;
  lines.push(`  output [shape=doubleoctagon, label=${quote(outLabel)}];`);
  if (output.gradFn !== null) lines.push(`  op${position.get(output.gradFn)} -> output;`);
  else if (output.requiresGrad) lines.push('  output [style=filled, fillcolor=lightblue];');
  lines.push('}');
  return lines.join('\n');
}

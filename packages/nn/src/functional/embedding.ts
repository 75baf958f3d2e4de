// Embedding lookup as one op: rows of the weight picked by integer indices. Its gradient scatters (adds) the
// incoming rows back, so an index used twice receives the sum, and the paddingIdx row receives nothing.
import { guardedRead } from '@minigrad/tensor/internal';
import { IndexError, Tensor, checkIndexDType, checkInt, checkOptions, describeValue, zeros, fmtShape, ArgumentError } from '@minigrad/tensor';
import { applyOp, asVariable, defineOp, Variable, type TensorLike } from '@minigrad/autograd';

interface EmbeddingArgs {
  /** Flat int32 indices (contiguous). */
  flat: Tensor;
  /** The indices' shape: the output is [...shape, dim]. */
  shape: readonly number[];
  paddingIdx: number | null;
}

const embeddingOp = defineOp<EmbeddingArgs>({
  name: 'embedding',
  forward([w], { flat, shape }) {
    return w.indexSelect(0, flat).reshape([...shape, w.shape[1]]);
  },
  backward(ctx, grad) {
    const { flat, paddingIdx } = ctx.args;
    const [num, dim] = ctx.shapes[0];
    const n = flat.shape[0];
    let rows = grad.reshape([n, dim]);
    if (paddingIdx !== null) rows = rows.mul(new Variable(flat.ne(paddingIdx).to(grad.dtype).reshape([n, 1])));
    const target = flat.reshape([n, 1]).expand([n, dim]);
    return [new Variable(zeros([num, dim], { dtype: grad.dtype })).scatterAdd(0, target, rows)];
  },
});

/**
 * Looks up rows of `weight` `[numEmbeddings, dim]` for int32 `indices` of any shape -> `[...indices.shape, dim]`.
 * With `paddingIdx`, that row gets no gradient (its value is used as it is).
 */
export function embedding(indices: TensorLike, weight: TensorLike, opts: { paddingIdx?: number | null } = {}): Variable {
  const { paddingIdx = null } = checkOptions('embedding', opts, ['paddingIdx']);
  weight = asVariable(weight, 'embedding', 'weight');
  if (weight.ndim !== 2) throw new ArgumentError('embedding', `weight ${fmtShape(weight.shape)} must be 2-d [numEmbeddings, dim]`);
  if (paddingIdx !== null) checkInt('embedding', 'paddingIdx', paddingIdx, { min: -weight.shape[0], below: weight.shape[0] });
  const op = 'embedding';
  const idx = indices instanceof Variable ? indices.data : indices;
  if (!(idx instanceof Tensor)) throw new ArgumentError(op, `indices must be an int32 Tensor, got ${describeValue(indices)}`);
  checkIndexDType(op, 'indices', idx, 'indices');
  const num = weight.shape[0];
  const flat = idx.reshape([-1]).contiguous();
  // A captured step (compile) checks the indices of every replay again.
  guardedRead(`${op}'s indices`, () => {
    const values = idx.toTypedArray();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < 0 || v >= num) throw new IndexError(op, `index ${v} is out of range for ${num} embeddings (indices ${fmtShape(idx.shape)})`);
    }
    return values.length;
  }, [idx.storage]);
  const pad = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + num : paddingIdx;
  return applyOp(embeddingOp, [weight], { flat, shape: idx.shape, paddingIdx: pad });
}

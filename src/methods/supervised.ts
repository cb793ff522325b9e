import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toLabelTensor } from '../data/to-tensor';
import { randomCropFlip } from '../transforms/crop-flip';
import { Backbone } from '../models/conv-net';
import { Head, linearHead } from '../models/linear-head';
import { crossEntropy } from '../objectives/cross-entropy';
import { TrainTask } from '../train/train-loop';

/**
 * Supervised pre-training with the human labels: the baseline every self-supervised method
 * is compared with. Same backbone, the standard crop+flip augmentation, a linear classifier.
 */
export function supervisedTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: { augment?: boolean } = {}): { task: TrainTask; head: Head } {
  if (set.classNames.length < 2) throw new Error(`supervisedTask: "${set.name}" has ${set.classNames.length} class(es); need at least 2`);
  const head = linearHead(backbone.featureDim, set.classNames.length, rng.fork('supervised-head'));
  const augment = opts.augment ?? true;
  return {
    head,
    task: {
      name: 'supervised',
      stores: [backbone.params, head.params],
      size: set.n,
      step(indices, stepRng) {
        const x = randomCropFlip(set, indices, stepRng, augment ? {} : { pad: 0, flip: false });
        const labels = toLabelTensor(set, indices);
        const { loss, correct } = crossEntropy(head.apply(backbone.apply(x, { training: true }).features), labels);
        return { loss, correct, count: indices.length };
      },
    },
  };
}


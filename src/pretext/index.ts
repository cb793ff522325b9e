export { ROTATIONS, rotate90, rotationBatch, rotateImageBytes } from './rotation';
export {
  allPermutations,
  drawJigsawOffsets,
  factorial,
  hammingDistance,
  hammingPermutations,
  invertPermutation,
  jigsawSourceIndex,
  jigsawTiles,
  jigsawTilesBytes,
  meanPairwiseHamming,
  minPairwiseHamming,
  randomPermutations,
  reassembleTileBytes,
  reassembleTiles,
} from './jigsaw';
export type { HammingOptions, JigsawOffsets, JigsawOptions } from './jigsaw';
export {
  RELATIVE_POSITIONS,
  RELATIVE_POSITION_NAMES,
  drawPatchPairs,
  pairLabel,
  patchGrid,
  patchPairBytes,
  patchPairSourceIndex,
  relativePositionLabel,
  relativePositionPatches,
} from './relative-position';
export type { PatchGridOptions, PatchPairs } from './relative-position';
export { PATCH_COLOUR_MODES, drawChannelMaps, patchColour } from './patch-colour';
export type { ChannelMaps, PatchColourMode } from './patch-colour';
export { TRIPLE_KINDS, orderLabel, frameMotion, sampleWindows, sampleTriples } from './shuffle-and-learn';
export type { WindowOptions, Windows, Triples } from './shuffle-and-learn';
export { correspondencePairs, balancedPairs } from './av-pairs';
export type { AvPairs } from './av-pairs';
export { abBins, abToBin, abToBins, colourTargets, abBinCounts, rebalanceWeights, annealedMean, binMode } from './colourisation';
export type { AbBins } from './colourisation';
export { MASK_KINDS, centreMask, randomBlockMask, inpaintingMask, channelMeans, inpaintingBatch, maskedImageBytes } from './inpainting';
export type { MaskKind, MaskOptions } from './inpainting';
export { drawNearFarPatches, nearFarPatchBatch } from './near-far-patches';
export type { NearFarPatches } from './near-far-patches';

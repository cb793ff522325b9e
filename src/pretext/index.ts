export { ROTATIONS, rotate90, rotationBatch, rotateImageBytes } from './rotation';

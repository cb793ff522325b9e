export { randomCropFlip } from './crop-flip';
export type { CropFlipOptions } from './crop-flip';

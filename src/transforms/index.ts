export { randomCropFlip } from './crop-flip';
export type { CropFlipOptions } from './crop-flip';
export { augmentBatch, drawAugmentParams } from './augment';
export type { AugmentOptions, AugmentParams } from './augment';
export { hzToMel, melToHz, melFilterbank, powerSpectrogram, logMelSpectrogram, spectrogramImages } from './spectrogram';
export type { Spectrogram, SpectrogramOptions, SpectrogramImageOptions } from './spectrogram';
export { D65_WHITE, rgbPixelToLab, labPixelToRgb, rgbToLab, labToRgb, lightnessInput, lightnessSet, greyToRgbBytes } from './lab';

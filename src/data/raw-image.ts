/**
 * One decoded image: `height * width * channels` bytes, row-major HWC.
 * `channels` is 1 (grey), 3 (RGB) or 4 (RGBA).
 */
export interface RawImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

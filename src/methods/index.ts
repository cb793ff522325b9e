export { rotationTask, predictRotation, predictRotationGrid } from './rotation';
export { supervisedTask } from './supervised';
export { pretrain, checkMethod, METHODS } from './pretrain';
export type { PretrainConfig, Pretrained, MethodName, MethodFactory } from './pretrain';
export { rotationPreset } from './presets';
export type { ExperimentPreset } from './presets';

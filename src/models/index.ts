export { batchNormTrain, batchNormInfer } from './batch-norm';
export { ParamStore, heNormal, glorotUniform } from './params';
export { convNet } from './conv-net';
export type { ConvNetConfig, Backbone, BackboneOutput } from './conv-net';
export { linearHead } from './linear-head';
export type { Head } from './linear-head';
export { mlpHead } from './mlp-head';

export {
  checkParity,
  checkpointHash,
  type CheckedOnnx,
  type ExportWithReference,
} from './checkpoint-onnx.js';
export { exportCheckedOnnxInThread } from './checkpoint-onnx-thread.js';
export { FileModelRegistry } from './file-model-registry.js';
export type {
  ImportOptions,
  ModelKind,
  ModelRegistry,
  ModelVersion,
  RegisterCheckpointOptions,
} from './model-version.js';
export { inspectOnnx, type OnnxSignature } from './onnx-inspect.js';
export {
  createPredictService,
  type ClassScore,
  type Prediction,
  type PredictOptions,
  type PredictService,
} from './predict-service.js';
export { prepareSample, type PredictInput } from './preprocess.js';
export {
  SessionCache,
  type LoadedSession,
  type RuntimeThreads,
  type SessionCacheOptions,
} from './session-cache.js';
export {
  decodeYolo,
  detections,
  letterbox,
  nms,
  parseUltralyticsNames,
  type DetectOptions,
  type Detection,
} from './yolo.js';
export { runBatches } from './run-batches.js';

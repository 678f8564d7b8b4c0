// Worker-thread entry: trains off the main thread (the extension host and the
// CLI stay responsive) and streams progress back.
import { parentPort, workerData } from 'node:worker_threads';
import { TrainingDataError, trainModel, type LabelledCommand } from './trainer';
import type { TrainOptions } from './model-file';

const { rows, options } = workerData as { rows: LabelledCommand[]; options: Partial<TrainOptions> };
try {
  const model = trainModel(rows, options, (progress) => parentPort!.postMessage({ type: 'progress', progress }));
  parentPort!.postMessage({ type: 'done', model });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: (err as Error).message, dataError: err instanceof TrainingDataError });
}

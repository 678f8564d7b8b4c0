import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelFile, TrainOptions } from './model-file';
import { TrainingDataError, checkTrainingData, type LabelledCommand, type TrainProgress } from './trainer';

/** Starts the worker: the bundled script next to the running bundle, or the TypeScript source through tsx (tests). */
function startWorker(workerData: unknown): Worker {
  const bundled = join(__dirname, 'train-worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData });
  const source = join(__dirname, 'train-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData });
}

/** Trains in a worker thread. Aborting the signal terminates the worker. */
export async function trainInWorker(
  rows: readonly LabelledCommand[],
  options: Partial<TrainOptions>,
  opts: { onProgress?: (p: TrainProgress) => void; signal?: AbortSignal } = {},
): Promise<ModelFile> {
  // Fail fast on the seed's data errors without starting a thread.
  checkTrainingData(rows);
  return new Promise((resolve, reject) => {
    const worker = startWorker({ rows, options });
    const abort = () => {
      void worker.terminate();
      reject(new Error('Training cancelled'));
    };
    opts.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (msg: { type: string; progress?: TrainProgress; model?: ModelFile; message?: string; dataError?: boolean }) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.progress!);
      else if (msg.type === 'done') resolve(msg.model!);
      else if (msg.type === 'error') reject(msg.dataError ? new TrainingDataError(msg.message) : new Error(msg.message));
    });
    worker.on('error', reject);
    worker.on('exit', () => opts.signal?.removeEventListener('abort', abort));
  });
}

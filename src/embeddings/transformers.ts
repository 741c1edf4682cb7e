// transformers.js (ONNX, in process): mean-pooled, normalised sentence vectors,
// with the E5 family's "query: " / "passage: " prefixes and an offline-friendly
// model folder.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Embeddings } from '@langchain/core/embeddings';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { Settings } from '../config.js';
import { EmbedderError } from './errors.js';

/** Texts per forward pass: bounds the padded batch tensor's memory. */
const BATCH_SIZE = 32;

interface Prefixes {
  query: string;
  passage: string;
}

/** E5 models were trained with these prefixes and rank worse without them. */
function prefixesFor(model: string): Prefixes {
  return /e5/i.test(model) ? { query: 'query: ', passage: 'passage: ' } : { query: '', passage: '' };
}

export class TransformersEmbeddings extends Embeddings {
  constructor(private readonly extractor: FeatureExtractionPipeline, private readonly prefixes: Prefixes) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH_SIZE) {
      vectors.push(...(await this.embed(texts.slice(i, i + BATCH_SIZE).map((t) => this.prefixes.passage + t))));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embed([this.prefixes.query + text]))[0]!;
  }

  private async embed(texts: string[]): Promise<number[][]> {
    // Sentence-embedding models are trained on single-line text.
    const output = await this.extractor(texts.map((t) => t.replace(/\n/g, ' ')), { pooling: 'mean', normalize: true });
    return output.tolist() as number[][];
  }
}

export async function createTransformersEmbeddings(model: string, settings: Settings): Promise<Embeddings> {
  const { env, pipeline } = await import('@huggingface/transformers');
  const localRoot = settings.EMBEDDINGS_MODEL_PATH;
  env.cacheDir = path.resolve(settings.EMBEDDINGS_CACHE_DIR);
  if (localRoot) {
    env.localModelPath = path.resolve(localRoot);
    env.allowRemoteModels = false;
  }
  // Typed down to the one task used: the generic signature is a union too large for tsc.
  const featureExtraction = pipeline as (task: 'feature-extraction', model: string, options: { dtype: 'fp32' }) => Promise<FeatureExtractionPipeline>;
  try {
    // fp32 (onnx/model.onnx) is the CPU default; naming it keeps transformers.js from warning on every load.
    const extractor = await featureExtraction('feature-extraction', model, { dtype: 'fp32' });
    const embeddings = new TransformersEmbeddings(extractor, prefixesFor(model));
    // A model whose files load but do not fit together fails only when first run.
    await embeddings.embedQuery('warm up');
    return embeddings;
  } catch (error) {
    const where = localRoot
      ? `${path.resolve(localRoot, model)}${existsSync(path.resolve(localRoot, model)) ? '' : ' (missing)'}`
      : `the Hugging Face hub, cached in ${env.cacheDir}`;
    throw new EmbedderError(
      `Could not load the embedding model "${model}" from ${where}: ${(error as Error).message.split('\n')[0]!.replace(/\.+$/, '')}. ` +
        `Fix: download the model (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) into ` +
        `EMBEDDINGS_MODEL_PATH/${model}, or allow network access to huggingface.co, or use EMBEDDINGS_PROVIDER=local.`,
    );
  }
}

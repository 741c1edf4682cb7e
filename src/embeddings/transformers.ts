// transformers.js (ONNX, in process) through LangChain's wrapper, with the E5
// family's "query: " / "passage: " prefixes and an offline-friendly model folder.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { HuggingFaceTransformersEmbeddings } from '@langchain/community/embeddings/huggingface_transformers';
import { Embeddings } from '@langchain/core/embeddings';
import type { Settings } from '../config.js';
import { EmbedderError } from './index.js';

class PrefixedEmbeddings extends Embeddings {
  constructor(private readonly inner: Embeddings, private readonly prefixes: { query: string; passage: string }) {
    super({});
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.inner.embedDocuments(texts.map((t) => this.prefixes.passage + t));
  }
  embedQuery(text: string): Promise<number[]> {
    return this.inner.embedQuery(this.prefixes.query + text);
  }
}

export async function createTransformersEmbeddings(model: string, settings: Settings): Promise<Embeddings> {
  const { env } = await import('@huggingface/transformers');
  const localRoot = settings.EMBEDDINGS_MODEL_PATH;
  env.cacheDir = path.resolve(settings.EMBEDDINGS_CACHE_DIR);
  if (localRoot) {
    env.localModelPath = path.resolve(localRoot);
    env.allowRemoteModels = false;
  }
  const embeddings = new HuggingFaceTransformersEmbeddings({ model, batchSize: 32 });
  const e5 = /e5/i.test(model);
  const wrapped = e5 ? new PrefixedEmbeddings(embeddings, { query: 'query: ', passage: 'passage: ' }) : embeddings;
  try {
    await wrapped.embedQuery('warm up');
  } catch (error) {
    const where = localRoot
      ? `${path.resolve(localRoot, model)}${existsSync(path.resolve(localRoot, model)) ? '' : ' (missing)'}`
      : `the Hugging Face hub, cached in ${env.cacheDir}`;
    throw new EmbedderError(
      `Could not load the embedding model "${model}" from ${where}: ${(error as Error).message.split('\n')[0]}. ` +
        `Fix: download the model (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) into ` +
        `EMBEDDINGS_MODEL_PATH/${model}, or allow network access to huggingface.co, or use EMBEDDINGS_PROVIDER=local.`,
    );
  }
  return wrapped;
}

// What the index and retrieval need of an embedder. LangChain's `Embeddings` has this
// shape, so its providers plug in as they are; the built-in embedder implements it
// without loading LangChain (a fresh `akhbar ask` would pay ~0.1 s for its import).
export interface TextEmbeddings {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
}

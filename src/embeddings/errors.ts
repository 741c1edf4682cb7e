// The embedder could not be set up (missing key, missing model): one clear line for the user.
export class EmbedderError extends Error {}

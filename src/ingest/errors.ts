// Ingest errors, in a module of their own so the CLI can recognise them
// without loading the HTML and feed parsers.
export class CorpusError extends Error {}

export class FeedError extends Error {}

export class IngestError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

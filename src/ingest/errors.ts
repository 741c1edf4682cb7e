// Ingest errors, in a module of their own so the CLI can recognise them
// without loading the HTML parsers.
export class CorpusError extends Error {}

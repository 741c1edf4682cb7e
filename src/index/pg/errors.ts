// The shared store's failures, in a module of their own (no `pg` import) so the
// CLI can recognise them without loading the Postgres client.
export class DatabaseUnavailableError extends Error {}
export class PgvectorMissingError extends Error {}
export class SchemaTooNewError extends Error {}

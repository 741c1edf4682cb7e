// The names of one shared store's tables (DATABASE_TABLE_PREFIX lets several stores share a database).
export interface Tables {
  meta: string;
  articles: string;
  imports: string;
  chunks: string;
  terms: string;
  /** Advisory-lock key text of this store's writer lock. */
  lockKey: string;
}

export function tableNames(prefix: string): Tables {
  return {
    meta: `${prefix}meta`,
    articles: `${prefix}articles`,
    imports: `${prefix}imports`,
    chunks: `${prefix}chunks`,
    terms: `${prefix}terms`,
    lockKey: `${prefix}writer`,
  };
}

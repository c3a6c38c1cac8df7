/** The register of encrypted columns, so a key rotation can find and re-encrypt every value. */

/** A table whose listed columns hold `v1.` ciphertexts; `id` is its primary key column. */
export interface EncryptedColumns { table: string; id: string; columns: string[] }

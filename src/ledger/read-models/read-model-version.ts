/**
 * The version of the code that derives the read models: the reducers in ../projections/ and the
 * storage shape in this folder. Stored with the models; a ledger whose models carry another version
 * rebuilds them on open. test/read-models.test.ts holds a digest of what the derivation
 * makes of a fixed history, and fails until this changes with it.
 */
export const READ_MODEL_VERSION = "2";

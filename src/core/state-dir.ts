/** The folder under a workspace's root that holds its state: the ledger, the artifact store, secrets, locks and work directories. */
export const STATE_DIR = ".runledger";

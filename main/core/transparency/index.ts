/** Pure transparency-log primitives: Ed25519 keys, signed notes, checkpoints, cosignatures, RFC 6962 Merkle trees. */
export * from './ed25519';
export * from './signed-note';
export * from './checkpoint';
export * from './cosignature';
export * from './merkle';

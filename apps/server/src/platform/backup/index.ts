export { type BackupManifest, type BackupSummary, createBackup } from './backup.ts';
export { type TableDigest, tableDigests } from './digest.ts';
export { keyFingerprint } from './envelope.ts';
export { type RestoreSummary, restoreBackup } from './restore.ts';

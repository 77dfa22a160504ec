// The one sha256 of the code base: protocol hashes, proof files, checkpoints' sketch hashes.
import { createHash } from 'crypto';

/** Hex sha256 of a UTF-8 text. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Size and SHA-256 of a file on disk, read in blocks (for `partnersim verify` and `merge`). */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileDigest } from './output.ts';

export function fileDigest(path: string): FileDigest {
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const got = readSync(fd, block, 0, block.length, null);
      if (got === 0) break;
      hash.update(block.subarray(0, got));
      bytes += got;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

// Loaded into a daemon child with `--import` (NODE_OPTIONS) by the chaos test: while the file
// named by JIRALINE_TEST_DISK_FULL exists, every synchronous write to a file (not to stdio)
// fails with ENOSPC, as on a full disk. The store's journal appends use writeSync, so a commit
// meets the same error the kernel gives on a full disk and goes through the real error path;
// nothing in source/ knows about this file. (A tiny tmpfs would be the honest disk, but
// mounting one needs root.)
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const marker = process.env.JIRALINE_TEST_DISK_FULL;
if (marker) {
  const realWriteSync = fs.writeSync;
  fs.writeSync = function writeSync(fd, ...rest) {
    if (typeof fd === 'number' && fd > 2 && fs.existsSync(marker)) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return realWriteSync.call(this, fd, ...rest);
  };
  syncBuiltinESMExports();
}

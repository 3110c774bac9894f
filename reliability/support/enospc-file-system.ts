import type { FileHandle } from "node:fs/promises";
import { nodeFileSystem, type FileSystem } from "../../src/artifacts/fs/file-system.js";

/**
 * The real filesystem, except that every write after the first `writesBeforeFull` fails with
 * ENOSPC, as on a disk that just filled up. `writes` counts the writes that went through.
 */
export class EnospcFileSystem implements FileSystem {
  writes = 0;
  failures = 0;

  constructor(private readonly writesBeforeFull: number) {}

  async open(path: string, flags: string, mode?: number): Promise<FileHandle> {
    const handle = await nodeFileSystem.open(path, flags, mode);
    if (flags === "r") return handle;
    const write = (...args: unknown[]) => {
      if (this.writes >= this.writesBeforeFull) {
        this.failures++;
        return Promise.reject(Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC", errno: -28, syscall: "write" }));
      }
      this.writes++;
      return (handle.write as (...a: unknown[]) => Promise<unknown>).apply(handle, args);
    };
    return new Proxy(handle, {
      get: (target, key) => {
        if (key === "write") return write;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  rename = nodeFileSystem.rename;
  unlink = nodeFileSystem.unlink;
  mkdir = nodeFileSystem.mkdir;
  readdir = nodeFileSystem.readdir;
  stat = nodeFileSystem.stat;
}

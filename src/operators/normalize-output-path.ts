/**
 * The canonical form of a declared output path (`outputs/./a//b/` → `outputs/a/b`), or undefined
 * when the path is not strictly inside `outputs/`: absolute, containing a `..` segment or a
 * backslash, not starting with `outputs/`, or naming `outputs/` itself.
 */
export function normalizeOutputPath(path: unknown): string | undefined {
  if (typeof path !== "string" || path.includes("\\") || path.includes("\0") || path.startsWith("/")) return undefined;
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..") || segments[0] !== "outputs" || segments.length < 2) return undefined;
  return segments.join("/");
}

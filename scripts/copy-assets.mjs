// Copies the plain-JavaScript files under src/ (worker and launcher scripts) and their declarations into dist/, which tsc does not.
import { chmodSync, cpSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
for (const file of walk("src").filter((f) => f.endsWith(".mjs") || f.endsWith(".d.mts"))) cpSync(file, join("dist", relative("src", file)));

// The CLI is the package's bin: npm makes it executable when it links it, but a later build writes
// the file anew, and `npx runledger` in this checkout then fails with "Permission denied".
chmodSync("dist/cli/main.js", 0o755);

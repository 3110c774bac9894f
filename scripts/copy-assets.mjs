// Copies the plain-JavaScript files under src/ (worker and launcher scripts) and their declarations into dist/, which tsc does not.
import { cpSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
for (const file of walk("src").filter((f) => f.endsWith(".mjs") || f.endsWith(".d.mts"))) cpSync(file, join("dist", relative("src", file)));

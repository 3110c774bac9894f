/**
 * The public API report: every name each package entry point exports, with what it is. Written to
 * `api/runledger.api.txt` by `npm run api`; a test fails when the report and the code disagree, so
 * a change to what users may import is always a visible change to a committed file.
 */
import ts from "typescript";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const API_REPORT_PATH = "api/runledger.api.txt";

interface PackageJson {
  readonly exports: Record<string, string | { readonly types: string; readonly import: string }>;
}

/** Each entry point that exports code (`runledger`, `runledger/postgres`…) and its source file. */
export function entryPoints(): { readonly name: string; readonly source: string }[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
  return Object.entries(pkg.exports).flatMap(([subpath, target]) =>
    typeof target === "string"
      ? []
      : [
          {
            name: subpath === "." ? "runledger" : `runledger/${subpath.slice(2)}`,
            source: join(ROOT, target.import.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")),
          },
        ],
  );
}

function kindOf(symbol: ts.Symbol): string {
  const f = ts.SymbolFlags;
  if (symbol.flags & f.Class) return "class";
  if (symbol.flags & f.Function) return "function";
  if (symbol.flags & f.Variable) return "const";
  if (symbol.flags & f.Enum) return "enum";
  if (symbol.flags & f.Interface) return "interface";
  return "type";
}

/** The report's text: one block per entry point, one sorted line per exported name. */
export function renderApiReport(): string {
  const entries = entryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.build.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram(
    entries.map((e) => e.source),
    config?.options ?? {},
  );
  const checker = program.getTypeChecker();
  const blocks = entries.map(({ name, source }) => {
    const file = program.getSourceFile(source);
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${source}: not found`);
    const lines = checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `${kindOf(target)} ${symbol.name}`;
    });
    return [`# ${name}`, ...lines.sort((a, b) => a.split(" ")[1]!.localeCompare(b.split(" ")[1]!))].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

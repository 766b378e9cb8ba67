/**
 * Request parameter names as the official SDKs publish them, read from their TypeScript
 * declarations in node_modules with the TypeScript compiler API. A new SDK version that adds a
 * parameter changes these lists, and the conformance test then fails until the parameter is
 * classified.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface SdkType {
  /** Key of the result. */
  alias: string;
  /** Module specifier, resolved from the project root. */
  from: string;
  /** Exported type name. */
  type: string;
  /** A type inside the exported namespace (`ResponseFormatJSONSchema.JSONSchema`). */
  member?: string;
}

/** Property names of each requested SDK type (all members of a union), keyed by alias. */
export function sdkParameterNames(root: string, imports: SdkType[]): Record<string, string[]> {
  // Inside the project, so the SDKs resolve from its node_modules exactly as an app's imports would.
  const file = join(root, `.sdk-params-${process.pid}.ts`);
  const source = imports
    .map(
      (i) =>
        `import type { ${i.type} as ${i.alias}Src } from '${i.from}';\nexport type ${i.alias} = ${i.alias}Src${i.member ? `.${i.member}` : ''};`,
    )
    .join('\n');
  writeFileSync(file, source);
  try {
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error('probe file not in program');
    const out: Record<string, string[]> = {};
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error('probe file has no module symbol');
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const type = checker.getDeclaredTypeOfSymbol(exp);
      const names = new Set<string>();
      const parts = type.isUnion() ? type.types : [type];
      for (const t of parts) for (const p of checker.getPropertiesOfType(t)) names.add(p.getName());
      if (names.size === 0) {
        const diags = ts
          .getPreEmitDiagnostics(program)
          .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        throw new Error(`no properties found for ${exp.getName()}: ${diags.join('; ')}`);
      }
      out[exp.getName()] = [...names].sort();
    }
    return out;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Request parameter names as the official SDKs publish them, read from their TypeScript
 * declarations in node_modules with the TypeScript compiler API. A new SDK version that adds a
 * parameter changes these lists, and the conformance test then fails until the parameter is
 * classified.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

export interface SdkParams {
  /** Parameter name -> nested parameter names, for the object-valued ones asked about. */
  [typeName: string]: string[];
}

/** `import type { X } from 'pkg'` for each requested type, checked from the project root so node_modules resolves. */
export function sdkParameterNames(root: string, imports: Array<{ alias: string; from: string; type: string }>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-sdk-params-'));
  const file = join(root, `.sdk-params-${process.pid}.ts`);
  const source = imports.map((i) => `import type { ${i.type} as ${i.alias} } from '${i.from}';\nexport type ${i.alias}_ = ${i.alias};`).join('\n');
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
        const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        throw new Error(`no properties found for ${exp.getName()}: ${diags.join('; ')}`);
      }
      out[exp.getName().replace(/_$/, '')] = [...names].sort();
    }
    return out;
  } finally {
    rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

// Which public names of a package have no doc comment: every export of its entry points (functions, classes,
// variables, interfaces, type aliases, the functions of `export * as ns` namespaces) and every public member
// of an exported class or interface. Read with the TypeScript compiler API from the sources, the way TypeDoc
// sees them: private and protected members and `@internal` ones are not public; an `override` without a comment
// takes its base member's comment (TypeDoc copies it); an overloaded function or method needs one on its first
// overload signature (TypeDoc shows it for all of them).
import ts from 'typescript';

export interface DocCoverage {
  /** Exported names (`pkg.name`, `pkg.ns.name`) and how many of them have a comment. */
  exports: { total: number; documented: number };
  /** Public members of exported classes and interfaces (`pkg.Class#member`) and how many have a comment. */
  members: { total: number; documented: number };
  /** The names without a comment, sorted. */
  missing: string[];
}

/** True when `node` carries a JSDoc comment with text (a bare `@internal` or `@param` list is no summary). */
function hasSummary(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment) ?? '').trim() !== '');
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');
}

function isNonPublic(member: ts.ClassElement | ts.TypeElement): boolean {
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || isInternal(member);
}

/** The declaration that needs the comment: the first overload signature when there are any, else the one body. */
function firstSignature<T extends ts.Node>(decls: T[], hasBody: (d: T) => boolean): T {
  return decls.find((d) => !hasBody(d)) ?? decls[0];
}

export function docCoverage(program: ts.Program, pkg: string, entryFiles: readonly string[], ownDir: string): DocCoverage {
  const checker = program.getTypeChecker();
  const own = (d: ts.Node) => d.getSourceFile().fileName.startsWith(ownDir);
  const result: DocCoverage = { exports: { total: 0, documented: 0 }, members: { total: 0, documented: 0 }, missing: [] };
  const seen = new Set<string>();

  const count = (kind: 'exports' | 'members', name: string, documented: boolean) => {
    if (seen.has(name)) return;
    seen.add(name);
    result[kind].total++;
    if (documented) result[kind].documented++;
    else result.missing.push(name);
  };

  /** A base class's or implemented interface's member of this name has a comment. */
  const inheritsDoc = (cls: ts.ClassDeclaration, name: string): boolean => {
    const heritage = cls.heritageClauses?.flatMap((h) => h.types) ?? [];
    return heritage.some((h) => {
      const prop = checker.getPropertyOfType(checker.getTypeAtLocation(h), name);
      return prop !== undefined && prop.getDocumentationComment(checker).some((part) => part.text.trim() !== '');
    });
  };

  const members = (owner: string, decl: ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeLiteralNode) => {
    const byName = new Map<string, (ts.ClassElement | ts.TypeElement)[]>();
    for (const m of decl.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
      if (ts.isConstructorDeclaration(m) || ts.isIndexSignatureDeclaration(m) || ts.isClassStaticBlockDeclaration(m)) continue;
      if (ts.isSemicolonClassElement(m) || m.name === undefined || isNonPublic(m)) continue;
      const name = (ts.isClassElement(m) && ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Static ? 'static ' : '') + m.name.getText();
      byName.set(name, [...(byName.get(name) ?? []), m]);
    }
    for (const [name, decls] of byName) {
      let documented: boolean;
      if (decls.every((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d))) {
        documented = hasSummary(firstSignature(decls, (d) => ts.isMethodDeclaration(d) && d.body !== undefined));
      } else {
        // A property, or a getter/setter pair: one comment for the pair.
        documented = decls.some(hasSummary);
      }
      const isOverride = decls.some((d) => ts.canHaveModifiers(d) && (ts.getModifiers(d) ?? []).some((m) => m.kind === ts.SyntaxKind.OverrideKeyword));
      if (!documented && isOverride && ts.isClassDeclaration(decl)) documented = inheritsDoc(decl, name);
      count('members', `${owner}#${name}`, documented);
    }
  };

  const visitExport = (prefix: string, exportName: string, exported: ts.Symbol) => {
    const name = `${prefix}.${exportName}`;
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (target.declarations ?? []).filter(own);
    if (decls.length === 0) return;
    if (decls.some(ts.isSourceFile)) {
      // `export * as ns from './file.js'`: the comment sits on the export declaration; then each name inside.
      const nsExport = exported.declarations?.find(ts.isNamespaceExport);
      count('exports', name, nsExport !== undefined && hasSummary(nsExport.parent));
      for (const inner of checker.getExportsOfModule(target)) visitExport(name, inner.name, inner);
      return;
    }
    const fns = decls.filter(ts.isFunctionDeclaration);
    const documented = fns.length > 0 ? hasSummary(firstSignature(fns, (d) => d.body !== undefined)) : decls.some(hasSummary);
    count('exports', name, documented);
    for (const d of decls) {
      if (ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d)) members(name, d);
      else if (ts.isTypeAliasDeclaration(d) && ts.isTypeLiteralNode(d.type)) members(name, d.type);
    }
  };

  for (const file of entryFiles) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) visitExport(pkg, exported.name, exported);
  }
  result.missing.sort();
  return result;
}

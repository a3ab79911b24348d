/**
 * Japanese UI completeness.
 *
 * Extracts every string the extension hands to a translation function — `vscode.l10n.t('…')`,
 * `l10n.t(…)`, a core `t('…')` (the `Translate` the host passes in), including the object form
 * `l10n.t({ message, comment })` — and checks that l10n/bundle.l10n.ja.json translates each one,
 * with the same placeholders, and holds nothing else. Also checks package.nls.ja.json against
 * package.nls.json (and that every `%key%` in package.json exists).
 *
 * The extraction reads the TypeScript AST with the type checker, so a key that reaches `t` through
 * a variable is followed to its literals: a parameter of a local helper (`plural(n, 'one', 'many', t)`),
 * a const table (`t(KIND_LABEL[kind])`), a property of an interface filled in elsewhere
 * (`t(input.label)` → every `label:` of an `InputSpec`), a function's return values
 * (`t(spec.validate(v))`). A call whose key cannot be followed to literals fails the test: make
 * the key a literal (or a literal reached in one of those ways).
 *
 * src/sandbox is not scanned: it is the AWS emulator, never shown through the extension's l10n
 * (its messages are the English texts AWS itself sends), and its own `t(…)` builds instance types.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const readJson = (file: string): Record<string, string> => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;

/** `{0}`, `{1}` … used in a message, sorted and deduplicated. */
function placeholders(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}

interface Extraction {
  /** English key → first place it was seen (`src/…:line`). */
  keys: Map<string, string>;
  /** Translation calls whose key could not be followed to string literals. */
  unresolved: string[];
}

/** Every translation key used by the files under `src` (sandbox excluded). */
function extractKeys(): Extraction {
  const files = tsFiles(join(root, 'src')).filter((f) => !f.includes(`${join('src', 'sandbox')}`));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const fileSet = new Set(files);
  const sources = program.getSourceFiles().filter((s) => fileSet.has(s.fileName));

  const where = (node: ts.Node): string => {
    const sf = node.getSourceFile();
    return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  // All nodes of the scanned files, collected once.
  const calls: ts.CallExpression[] = [];
  const properties: Array<ts.PropertyAssignment | ts.ShorthandPropertyAssignment> = [];
  for (const sf of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) calls.push(node);
      if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) properties.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const calleeName = (e: ts.Expression): string | undefined =>
    ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  const symbolOf = (node: ts.Node): ts.Symbol | undefined => {
    let s = checker.getSymbolAtLocation(node);
    if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
    return s;
  };

  /**
   * `t(…)`, `vscode.l10n.t(…)`, `ctx.t(…)`; or a differently named alias of a translation function
   * (a variable or parameter typed `Translate`, or initialised with `vscode.l10n.t`).
   */
  const isTranslateCall = (call: ts.CallExpression): boolean => {
    if (calleeName(call.expression) === 't') return true;
    if (!ts.isIdentifier(call.expression)) return false;
    const decl = symbolOf(call.expression)?.valueDeclaration;
    if (!decl || !(ts.isVariableDeclaration(decl) || ts.isParameter(decl))) return false;
    return decl.type?.getText() === 'Translate' || /\bl10n\.t$/.test(decl.initializer?.getText() ?? '');
  };

  /** The symbol a function is known by (its declaration name, or the variable / property holding it). */
  const functionNameNode = (fn: ts.SignatureDeclaration): ts.Node | undefined => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name;
    const parent = fn.parent;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === fn) return parent.name;
    return undefined;
  };

  type Result = { strings: string[]; unresolved: ts.Node[] };
  const none = (): Result => ({ strings: [], unresolved: [] });
  const merge = (...rs: Result[]): Result => ({ strings: rs.flatMap((r) => r.strings), unresolved: rs.flatMap((r) => r.unresolved) });
  const fail = (n: ts.Node): Result => ({ strings: [], unresolved: [n] });

  /** Values assigned, in object literals, to the interface property declared by `decl`. */
  function assignedValues(decl: ts.Declaration, name: string, seen: Set<ts.Node>): Result {
    const out: Result[] = [];
    for (const p of properties) {
      if (p.name.getText() !== name) continue;
      const type = checker.getContextualType(p.parent);
      if (!type) continue;
      const types = type.isUnion() ? type.types : [type];
      const match = types.some((ty) => checker.getPropertyOfType(checker.getApparentType(ty), name)?.declarations?.includes(decl));
      if (!match) continue;
      out.push(ts.isPropertyAssignment(p) ? resolve(p.initializer, seen) : resolve(p.name, seen));
    }
    return merge(...out);
  }

  /** The strings a function (expression, declaration or a reference to one) returns. */
  function returnsOf(node: ts.Node, seen: Set<ts.Node>): Result {
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return resolve(node.body, seen);
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) {
      const out: Result[] = [];
      const visit = (n: ts.Node): void => {
        if (n !== node && ts.isFunctionLike(n)) return;
        if (ts.isReturnStatement(n) && n.expression) out.push(resolve(n.expression, seen));
        ts.forEachChild(n, visit);
      };
      visit(node.body);
      return merge(...out);
    }
    if (ts.isIdentifier(node)) {
      const decl = symbolOf(node)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return returnsOf(decl.initializer, seen);
      if (decl && ts.isFunctionDeclaration(decl)) return returnsOf(decl, seen);
    }
    return fail(node);
  }

  /** The string literals an expression used as a translation key can evaluate to. */
  function resolve(expr: ts.Node, seen: Set<ts.Node>): Result {
    if (seen.has(expr)) return none();
    seen.add(expr);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { strings: [expr.text], unresolved: [] };
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) return resolve(expr.expression, seen);
    if (ts.isConditionalExpression(expr)) return merge(resolve(expr.whenTrue, seen), resolve(expr.whenFalse, seen));
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)) {
      return merge(resolve(expr.left, seen), resolve(expr.right, seen));
    }
    if (ts.isIdentifier(expr) && expr.text === 'undefined') return none();
    if (ts.isObjectLiteralExpression(expr)) {
      // vscode.l10n.t({ message, args, comment }): VS Code looks it up as `message/comment`.
      const prop = (name: string) => expr.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
      const message = prop('message');
      if (!message) return fail(expr);
      const comment = prop('comment')?.initializer;
      let suffix = '';
      if (comment && (ts.isStringLiteral(comment) || ts.isNoSubstitutionTemplateLiteral(comment))) suffix = `/${comment.text}`;
      else if (comment && ts.isArrayLiteralExpression(comment) && comment.elements.every(ts.isStringLiteral)) suffix = `/${comment.elements.map((e) => (e as ts.StringLiteral).text).join('')}`;
      else if (comment) return fail(comment);
      const r = resolve(message.initializer, seen);
      return { strings: r.strings.map((m) => m + suffix), unresolved: r.unresolved };
    }
    if (ts.isIdentifier(expr) || ts.isShorthandPropertyAssignment(expr.parent)) {
      const sym = ts.isShorthandPropertyAssignment(expr.parent) ? checker.getShorthandAssignmentValueSymbol(expr.parent) : symbolOf(expr);
      const decl = sym?.valueDeclaration;
      if (!decl) return fail(expr);
      if (ts.isVariableDeclaration(decl) && decl.initializer) return resolve(decl.initializer, seen);
      if (ts.isParameter(decl) && ts.isIdentifier(decl.name)) {
        const fn = decl.parent;
        const index = fn.parameters.indexOf(decl);
        const nameNode = functionNameNode(fn);
        const fnSymbol = nameNode && symbolOf(nameNode);
        if (!fnSymbol || decl.dotDotDotToken) return fail(expr);
        // A translation wrapper (`const t = (message, ...args) => vscode.l10n.t(message, ...args)`):
        // its own calls are extracted as translation calls.
        if (fnSymbol.name === 't') return none();
        const out: Result[] = decl.initializer ? [resolve(decl.initializer, seen)] : [];
        for (const call of calls) {
          if (calleeName(call.expression) !== fnSymbol.name || symbolOf(ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression) !== fnSymbol) continue;
          const arg = call.arguments[index];
          if (arg) out.push(resolve(arg, seen));
        }
        return out.length ? merge(...out) : fail(expr);
      }
      return fail(expr);
    }
    if (ts.isElementAccessExpression(expr)) {
      // A lookup in a const table: every value of the table.
      const table = ts.isIdentifier(expr.expression) ? symbolOf(expr.expression)?.valueDeclaration : undefined;
      let init = table && ts.isVariableDeclaration(table) ? table.initializer : undefined;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init && ts.isObjectLiteralExpression(init)) {
        return merge(...init.properties.map((p) => (ts.isPropertyAssignment(p) ? resolve(p.initializer, seen) : fail(p))));
      }
      if (init && ts.isArrayLiteralExpression(init)) return merge(...init.elements.map((e) => resolve(e, seen)));
      return fail(expr);
    }
    if (ts.isPropertyAccessExpression(expr)) {
      // A member of a const table (`KIND_LABEL.object`).
      const table = ts.isIdentifier(expr.expression) ? symbolOf(expr.expression)?.valueDeclaration : undefined;
      let init = table && ts.isVariableDeclaration(table) ? table.initializer : undefined;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      const member = init && ts.isObjectLiteralExpression(init)
        ? init.properties.find((p) => p.name?.getText() === expr.name.text)
        : undefined;
      if (member && ts.isPropertyAssignment(member)) return resolve(member.initializer, seen);
      const decl = symbolOf(expr.name)?.valueDeclaration;
      if (!decl) return fail(expr);
      if (ts.isPropertyAssignment(decl)) return resolve(decl.initializer, seen);
      if (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) {
        const r = assignedValues(decl, expr.name.text, seen);
        return r.strings.length || r.unresolved.length ? r : fail(expr);
      }
      return fail(expr);
    }
    if (ts.isCallExpression(expr)) {
      if (isTranslateCall(expr)) return fail(expr); // t(t('…')) is a mistake
      const decl = checker.getResolvedSignature(expr)?.declaration;
      if (!decl) return fail(expr);
      // A function-typed interface property (`validate?: (v) => string | undefined`): every function assigned to it.
      if (ts.isFunctionTypeNode(decl) && (ts.isPropertySignature(decl.parent) || ts.isPropertyDeclaration(decl.parent)) && ts.isIdentifier(decl.parent.name)) {
        const assigned = properties.filter((p) => p.name.getText() === (decl.parent as ts.PropertySignature).name.getText());
        const out: Result[] = [];
        for (const p of assigned) {
          const type = checker.getContextualType(p.parent);
          const types = type ? (type.isUnion() ? type.types : [type]) : [];
          const name = p.name.getText();
          if (!types.some((ty) => checker.getPropertyOfType(checker.getApparentType(ty), name)?.declarations?.includes(decl.parent as ts.Declaration))) continue;
          out.push(returnsOf(ts.isPropertyAssignment(p) ? p.initializer : p.name, seen));
        }
        return out.length ? merge(...out) : fail(expr);
      }
      return returnsOf(decl, seen);
    }
    return fail(expr);
  }

  const keys = new Map<string, string>();
  const unresolved: string[] = [];
  for (const call of calls) {
    if (!isTranslateCall(call)) continue;
    const arg = call.arguments[0];
    if (!arg) continue;
    const enclosing = ts.findAncestor(call.parent, ts.isFunctionLike);
    // The wrapper itself: `(message, ...args) => vscode.l10n.t(message, ...args)`.
    if (enclosing && ts.isIdentifier(arg) && enclosing.parameters.some((p) => p.name.getText() === arg.text)) {
      const nameNode = functionNameNode(enclosing);
      if (nameNode?.getText() === 't') continue;
    }
    const r = resolve(arg, new Set());
    for (const s of r.strings) if (!keys.has(s)) keys.set(s, where(call));
    for (const n of r.unresolved) unresolved.push(`${where(call)}: ${call.getText().slice(0, 100)} (cannot follow ${n.getText().slice(0, 60)} at ${where(n)})`);
  }
  return { keys, unresolved };
}

describe('Japanese localization', function () {
  this.timeout(120_000);

  let extraction: Extraction;
  const bundle = readJson('l10n/bundle.l10n.ja.json');
  const nls = readJson('package.nls.json');
  const nlsJa = readJson('package.nls.ja.json');

  before(() => {
    extraction = extractKeys();
  });

  it('finds the translation calls (sanity)', () => {
    assert.ok(extraction.keys.size > 300, `only ${extraction.keys.size} keys extracted`);
    for (const key of ['Loading…', 'just now', 'Cannot reach {0} ({1}).']) assert.ok(extraction.keys.has(key), key);
  });

  it('every translation key can be followed to string literals', () => {
    assert.ok(extraction.unresolved.length === 0, `translation calls with a key the test cannot resolve:\n${extraction.unresolved.join('\n')}`);
  });

  it('every string given to a translation function has a Japanese entry', () => {
    const missing = [...extraction.keys].filter(([key]) => typeof bundle[key] !== 'string' || bundle[key].trim() === '');
    assert.ok(
      missing.length === 0,
      `${missing.length} strings have no entry in l10n/bundle.l10n.ja.json:\n${missing.map(([key, at]) => `  ${JSON.stringify(key)}  (${at})`).join('\n')}`,
    );
  });

  it('the Japanese bundle has no stale entries', () => {
    const stale = Object.keys(bundle).filter((key) => !extraction.keys.has(key));
    assert.ok(stale.length === 0, `${stale.length} entries of l10n/bundle.l10n.ja.json are used by no source string:\n${stale.map((k) => `  ${JSON.stringify(k)}`).join('\n')}`);
  });

  it('Japanese bundle entries keep the placeholders of their English key', () => {
    const wrong = Object.entries(bundle).filter(([en, ja]) => placeholders(en).join() !== placeholders(ja).join());
    assert.ok(wrong.length === 0, `placeholders differ:\n${wrong.map(([en, ja]) => `  ${JSON.stringify(en)} → ${JSON.stringify(ja)}`).join('\n')}`);
  });

  it('every package.json %key% exists in package.nls.json', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const used = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))];
    assert.deepEqual(used.filter((k) => !(k in nls)), []);
  });

  it('package.nls.ja.json translates every package.nls.json key, with the same placeholders, and nothing else', () => {
    const missing = Object.keys(nls).filter((k) => typeof nlsJa[k] !== 'string' || nlsJa[k].trim() === '');
    assert.deepEqual(missing, [], `package.nls.ja.json lacks: ${missing.join(', ')}`);
    const extra = Object.keys(nlsJa).filter((k) => !(k in nls));
    assert.deepEqual(extra, [], `package.nls.ja.json has keys package.nls.json does not: ${extra.join(', ')}`);
    const wrong = Object.keys(nls).filter((k) => k in nlsJa && placeholders(nls[k]).join() !== placeholders(nlsJa[k]).join());
    assert.deepEqual(wrong, [], `placeholders differ in: ${wrong.join(', ')}`);
  });

  it('the Japanese files are valid, duplicate-free JSON', () => {
    for (const file of ['l10n/bundle.l10n.ja.json', 'package.nls.ja.json']) {
      const text = readFileSync(join(root, file), 'utf8');
      const keys = [...text.matchAll(/^\s*("(?:[^"\\]|\\.)*")\s*:/gm)].map((m) => JSON.parse(m[1]) as string);
      const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
      assert.deepEqual(dupes, [], `${file} repeats keys (JSON keeps only the last): ${dupes.join(', ')}`);
    }
  });
});

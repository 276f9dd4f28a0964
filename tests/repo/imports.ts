/** Module specifiers a source file imports: static, re-exports, side-effect, dynamic import() and require(). */
export function findImports(source: string): string[] {
  const pattern =
    /(?:^|[^.\w$])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^.\w$])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const found: string[] = [];
  for (const match of source.matchAll(pattern)) found.push((match[1] ?? match[2])!);
  return found;
}

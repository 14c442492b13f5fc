/**
 * Writing values into nginx configuration safely: every value the API lets a
 * user choose goes out as a double-quoted string, so no value can end a
 * directive or open a block. nginx keeps `$variables` inside quotes, which
 * headers, bodies and redirect URLs rely on.
 */

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A double-quoted nginx string that the configuration parser reads back as exactly `value`. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c])}"`;
}

/** Indents every non-empty line of a block body by two spaces. */
export function indent(lines: string[]): string[] {
  return lines.map((line) => (line ? `  ${line}` : line));
}

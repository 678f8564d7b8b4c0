/**
 * Text for a quick pick's label, description or detail. VS Code draws `$(name)`
 * there as an icon, so a learned pattern or command holding `$(date)` would
 * lose that part; a backslash keeps it as text.
 */
export function pickText(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

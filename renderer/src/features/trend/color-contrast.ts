// WCAG contrast of two opaque colours, and the CSS variables of a stylesheet per theme: what the
// theme tests hold the app's colours to.

/** Relative luminance of "#rrggbb" (WCAG 2.x). */
export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => {
    const channel = parseInt(part, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Contrast ratio between two "#rrggbb" colours, 1 to 21.
 * @example contrastRatio('#000000', '#ffffff') // 21
 */
export function contrastRatio(first: string, second: string): number {
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The custom properties a stylesheet sets on `:root` (light) or, for dark, light overridden by `:root[data-theme="dark"]`. */
export function cssVariables(css: string, theme: 'light' | 'dark'): Record<string, string> {
  const blocks = [...css.matchAll(/:root(\[data-theme="dark"\])?\s*\{([^}]*)\}/g)];
  const variables: Record<string, string> = {};
  for (const [, dark, body] of blocks) {
    if (dark && theme !== 'dark') continue;
    for (const [, name, value] of body!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) variables[name!] = value!.trim();
  }
  return variables;
}

/**
 * Where to go after signing in: only a same-site relative path ("/o/…"), never another origin
 * ("//evil.test", "/\\evil.test", "https://…"), so `redirectTo` cannot be used for phishing.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  try {
    const base = "http://refritrak.invalid";
    const url = new URL(to, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

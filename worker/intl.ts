/**
 * `Intl.DateTimeFormat`s, made once per locale and options (time zone included) and reused.
 * Making one costs ~65 µs in workerd, many times formatting with it, and a board, a compliance list
 * or a schedule conflict check formats hundreds of dates. Only formats that could be made are kept
 * (an unknown time zone still throws, every time); the options are the code's own and the zones
 * those of orgs and users, and the cache starts over past `LIMIT` all the same.
 */
const made = new Map<string, Intl.DateTimeFormat>();
const LIMIT = 1000;

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = made.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    if (made.size >= LIMIT) made.clear();
    made.set(key, format);
  }
  return format;
}

/** `date` in `timeZone`, in en-US, or in UTC when this runtime does not know the zone. */
export function formatInZone(options: Intl.DateTimeFormatOptions, timeZone: string, date: Date): string {
  try {
    return dateTimeFormat("en-US", { ...options, timeZone }).format(date);
  } catch {
    return dateTimeFormat("en-US", { ...options, timeZone: "UTC" }).format(date);
  }
}

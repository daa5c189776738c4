/**
 * Types for the `qrcode` module the label uses: its encoder alone. Importing it directly keeps the
 * package's PNG and file renderers (pngjs, fs) out of the Worker bundle.
 */
declare module "qrcode/lib/core/qrcode.js" {
  import type { QRCode, QRCodeOptions } from "qrcode";
  export function create(text: string, options?: QRCodeOptions): QRCode;
}

/**
 * Types for the two internal modules of `qrcode` the label uses. Importing them directly keeps the
 * package's PNG/file renderers (pngjs, fs) out of the Worker bundle.
 */
declare module "qrcode/lib/core/qrcode.js" {
  import type { QRCode, QRCodeOptions } from "qrcode";
  export function create(text: string, options?: QRCodeOptions): QRCode;
}

declare module "qrcode/lib/renderer/svg-tag.js" {
  import type { QRCode, QRCodeRenderersOptions } from "qrcode";
  export function render(qrData: QRCode, options?: QRCodeRenderersOptions): string;
}

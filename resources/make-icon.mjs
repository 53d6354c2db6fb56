// Renders resources/icon.svg to the 512×512 PNG electron-builder and the window use.
// Run after editing the SVG: `node resources/make-icon.mjs`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = path.dirname(fileURLToPath(import.meta.url));
await sharp(path.join(dir, 'icon.svg'), { density: 72 })
  .resize(512, 512)
  .png({ compressionLevel: 9 })
  .toFile(path.join(dir, 'icon.png'));
console.log('wrote resources/icon.png');
